-- Adjust, count and transfer as one call each (#18), on the primitives every command shares: a refusal raised as
-- SQLSTATE OH001 (its JSON in the message: kernel/errors.ts turns it back into the same refusal), the level change
-- with its ledger row, the lookups of what a change names, and a manager's approval committing with its change.

-- A refusal: {type, message, details} as the caller is answered. Raised, so everything the statement wrote since its
-- start (or since the nearest savepoint) is undone.
CREATE FUNCTION onhand_refuse(p_type text, p_message text, p_details json) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION USING ERRCODE = 'OH001',
    MESSAGE = json_build_object('type', p_type, 'message', p_message, 'details', coalesce(p_details, json_build_object()))::text;
END $$;
--> statement-breakpoint
-- Why a level change is refused, with the figures as they are now (read only to word it).
CREATE FUNCTION onhand_refusal_of(p_product int, p_location int, p_don int, p_dres int, p_expect int) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
  r record;
  v_available int;
  v_wanted int;
BEGIN
  SELECT pr.sku, l.code AS location, coalesce(sl.on_hand, 0) AS on_hand, coalesce(sl.reserved, 0) AS reserved INTO r
  FROM products pr CROSS JOIN locations l
  LEFT JOIN stock_levels sl ON sl.product_id = pr.id AND sl.location_id = l.id
  WHERE pr.id = p_product AND l.id = p_location;
  IF NOT FOUND THEN
    SELECT p_product::text AS sku, p_location::text AS location, 0 AS on_hand, 0 AS reserved INTO r;
  END IF;
  v_available := r.on_hand - r.reserved;
  IF p_expect IS NOT NULL AND r.on_hand <> p_expect THEN
    RETURN json_build_object('type', 'conflict',
      'message', format('%s in %s changed since it was counted: on hand is now %s, not %s. Confirm or recount.', r.sku, r.location, r.on_hand, p_expect),
      'details', json_build_object('sku', r.sku, 'location', r.location, 'current', r.on_hand, 'expected', p_expect));
  END IF;
  IF p_don + r.on_hand >= 0 AND r.reserved + p_dres < 0 THEN
    RETURN json_build_object('type', 'invalid_state',
      'message', format('%s in %s has only %s reserved; cannot release %s.', r.sku, r.location, r.reserved, -p_dres),
      'details', json_build_object('sku', r.sku, 'location', r.location, 'reserved', r.reserved));
  END IF;
  v_wanted := greatest(-p_don, p_dres - p_don, 0);
  RETURN json_build_object('type', 'insufficient_stock',
    'message', format('Only %s of %s available in %s; %s requested.', greatest(v_available, 0), r.sku, r.location, v_wanted),
    'details', json_build_object('sku', r.sku, 'location', r.location, 'available', greatest(v_available, 0), 'onHand', r.on_hand,
      'reserved', r.reserved, 'requested', v_wanted));
END $$;
--> statement-breakpoint
-- THE level change (kernel/levels.ts explains it): one conditional statement that changes the level and appends its
-- ledger row, the database deciding whether there is enough. The product's product_stock row is locked first (the
-- global lock order). A change that only adds may create the level; `p_expect` is a count's compare-and-set.
-- No row when refused: onhand_change_level raises the refusal instead.
CREATE FUNCTION onhand_try_change_level(p_product int, p_location int, p_kind movement_kind, p_don int, p_dres int, p_expect int,
  p_reason text, p_ref_type text, p_ref_id text, p_note text, p_actor text, p_command uuid, p_at timestamptz)
RETURNS TABLE (on_hand int, reserved int, version int, movement_id bigint, warehouse_id int)
LANGUAGE plpgsql AS $$
DECLARE
  v_can_create boolean := p_don >= 0 AND p_dres >= 0 AND p_dres <= p_don AND coalesce(p_expect, 0) = 0;
  v_lvl record;
BEGIN
  PERFORM 1 FROM product_stock ps WHERE ps.product_id = p_product FOR NO KEY UPDATE;
  IF v_can_create THEN
    INSERT INTO stock_levels AS sl (product_id, location_id, on_hand, reserved, version, updated_at)
    VALUES (p_product, p_location, p_don, p_dres, 1, now())
    ON CONFLICT (product_id, location_id) DO UPDATE
      SET on_hand = sl.on_hand + EXCLUDED.on_hand, reserved = sl.reserved + EXCLUDED.reserved, version = sl.version + 1, updated_at = now()
      WHERE p_expect IS NULL OR sl.on_hand = p_expect
    RETURNING sl.on_hand, sl.reserved, sl.version INTO v_lvl;
  ELSE
    UPDATE stock_levels sl SET on_hand = sl.on_hand + p_don, reserved = sl.reserved + p_dres, version = sl.version + 1, updated_at = now()
    WHERE sl.product_id = p_product AND sl.location_id = p_location
      AND sl.on_hand + p_don >= 0 AND sl.reserved + p_dres >= 0 AND sl.reserved + p_dres <= sl.on_hand + p_don
      AND (p_expect IS NULL OR sl.on_hand = p_expect)
    RETURNING sl.on_hand, sl.reserved, sl.version INTO v_lvl;
  END IF;
  IF v_lvl IS NULL THEN RETURN; END IF;
  RETURN QUERY
  WITH mv AS (
    INSERT INTO stock_movements (product_id, location_id, kind, on_hand_delta, reserved_delta, on_hand_after, reserved_after, version,
      reason_code, reference_type, reference_id, note, actor, command_id, created_at)
    VALUES (p_product, p_location, p_kind, p_don, p_dres, v_lvl.on_hand, v_lvl.reserved, v_lvl.version,
      p_reason, p_ref_type, p_ref_id, p_note, p_actor, p_command, coalesce(p_at, now()))
    RETURNING stock_movements.id
  )
  SELECT v_lvl.on_hand, v_lvl.reserved, v_lvl.version, mv.id, (SELECT l.warehouse_id FROM locations l WHERE l.id = p_location) FROM mv;
END $$;
--> statement-breakpoint
CREATE FUNCTION onhand_change_level(p_product int, p_location int, p_kind movement_kind, p_don int, p_dres int, p_expect int,
  p_reason text, p_ref_type text, p_ref_id text, p_note text, p_actor text, p_command uuid, p_at timestamptz)
RETURNS TABLE (on_hand int, reserved int, version int, movement_id bigint, warehouse_id int)
LANGUAGE plpgsql AS $$
DECLARE
  v_refusal json;
BEGIN
  RETURN QUERY SELECT * FROM onhand_try_change_level(p_product, p_location, p_kind, p_don, p_dres, p_expect, p_reason, p_ref_type, p_ref_id,
    p_note, p_actor, p_command, p_at);
  IF NOT FOUND THEN
    v_refusal := onhand_refusal_of(p_product, p_location, p_don, p_dres, p_expect);
    PERFORM onhand_refuse(v_refusal->>'type', v_refusal->>'message', v_refusal->'details');
  END IF;
END $$;
--> statement-breakpoint
-- What a change names, or the refusal that says which part is unknown.
CREATE FUNCTION onhand_product_by_sku(p_sku text) RETURNS products
LANGUAGE plpgsql AS $$
DECLARE
  v products%ROWTYPE;
BEGIN
  SELECT * INTO v FROM products WHERE sku = p_sku;
  IF NOT FOUND THEN
    PERFORM onhand_refuse('not_found', 'No sku matches ' || to_json(p_sku)::text || '.', json_build_object('sku', p_sku));
  END IF;
  RETURN v;
END $$;
--> statement-breakpoint
-- A product that is to take new stock (a receipt, an adjustment, a count): refused while it is archived, so an
-- archived product never gains stock again until it is restored. FOR KEY SHARE: an archive running now (it locks the
-- row FOR UPDATE and checks for stock) either sees this command's stock or makes it wait and refuse.
CREATE FUNCTION onhand_product_for_new_stock(p_sku text, p_field text) RETURNS products
LANGUAGE plpgsql AS $$
DECLARE
  v products%ROWTYPE;
BEGIN
  SELECT * INTO v FROM products WHERE sku = p_sku FOR KEY SHARE;
  IF NOT FOUND THEN
    PERFORM onhand_refuse('not_found', 'No sku matches ' || to_json(p_sku)::text || '.', json_build_object('sku', p_sku));
  END IF;
  IF NOT v.active THEN
    PERFORM onhand_refuse('invalid_state', format('%s is archived: it takes no new stock. Restore it on its product page first.', p_sku),
      json_build_object('sku', p_sku, 'fields', json_build_object(p_field, json_build_array(p_sku || ' is archived'))));
  END IF;
  RETURN v;
END $$;
--> statement-breakpoint
CREATE FUNCTION onhand_location_by_code(p_warehouse text, p_location text) RETURNS locations
LANGUAGE plpgsql AS $$
DECLARE
  v locations%ROWTYPE;
BEGIN
  SELECT l.* INTO v FROM locations l JOIN warehouses w ON w.id = l.warehouse_id WHERE w.code = p_warehouse AND l.code = p_location;
  IF NOT FOUND THEN
    IF NOT EXISTS (SELECT 1 FROM warehouses WHERE code = p_warehouse) THEN
      PERFORM onhand_refuse('not_found', 'No warehouse matches ' || to_json(p_warehouse)::text || '.', json_build_object('warehouse', p_warehouse));
    END IF;
    PERFORM onhand_refuse('not_found', format('Warehouse %s has no location %s.', p_warehouse, p_location),
      json_build_object('warehouse', p_warehouse, 'location', p_location));
  END IF;
  RETURN v;
END $$;
--> statement-breakpoint
-- A bin that is to take new stock (a receipt, a transfer's destination, an adjustment or a count): refused if it or
-- its warehouse is deactivated. FOR SHARE on both rows: a deactivation that is checking this bin for stock waits for
-- this command to commit (and then sees its stock), or this command waits for it (and then sees it inactive).
CREATE FUNCTION onhand_location_for_new_stock(p_warehouse text, p_location text, p_field text) RETURNS locations
LANGUAGE plpgsql AS $$
DECLARE
  v locations%ROWTYPE;
  v_wh_active boolean;
BEGIN
  SELECT l.* INTO v FROM locations l JOIN warehouses w ON w.id = l.warehouse_id
  WHERE w.code = p_warehouse AND l.code = p_location FOR SHARE;
  IF NOT FOUND THEN RETURN onhand_location_by_code(p_warehouse, p_location); END IF;
  SELECT w.active INTO v_wh_active FROM warehouses w WHERE w.id = v.warehouse_id;
  IF NOT v_wh_active THEN
    PERFORM onhand_refuse('invalid_state', format('Warehouse %s is deactivated: it takes no new stock.', p_warehouse),
      json_build_object('warehouse', p_warehouse, 'location', p_location,
        'fields', json_build_object(p_field, json_build_array(format('warehouse %s is deactivated', p_warehouse)))));
  END IF;
  IF NOT v.active THEN
    PERFORM onhand_refuse('invalid_state', format('Bin %s in %s is deactivated: it takes no new stock. Choose another bin.', p_location, p_warehouse),
      json_build_object('warehouse', p_warehouse, 'location', p_location,
        'fields', json_build_object(p_field, json_build_array(p_location || ' is deactivated'))));
  END IF;
  RETURN v;
END $$;
--> statement-breakpoint
-- A manager's approval commits with the change it approves: the request leaves the queue only with its change, and a
-- rejection that committed first wins (the change is refused and rolls back).
CREATE FUNCTION onhand_decide_approval(p_id bigint, p_by text, p_movement bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE stock_change_requests SET status = 'approved', decided_by = p_by, decided_at = now(), movement_id = p_movement
  WHERE id = p_id AND status = 'pending';
  IF NOT FOUND THEN
    PERFORM onhand_refuse('invalid_state', format('Request %s was rejected; it cannot be approved.', p_id), json_build_object('id', p_id));
  END IF;
END $$;
--> statement-breakpoint
-- Corrects on_hand in one bin. A removal can only take available units: stock held for carts and orders stays.
CREATE FUNCTION onhand_adjust(p jsonb) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
  v_product products%ROWTYPE := onhand_product_for_new_stock(p->>'sku', 'sku');
  v_loc locations%ROWTYPE := onhand_location_for_new_stock(p->>'warehouse', p->>'location', 'location');
  v record;
BEGIN
  SELECT * INTO v FROM onhand_change_level(v_product.id, v_loc.id, 'adjustment', (p->>'delta')::int, 0, NULL, p->>'reason',
    CASE WHEN p->>'reference' IS NOT NULL THEN 'reference' END, p->>'reference', p->>'note', p->>'actor', (p->>'command')::uuid, (p->>'at')::timestamptz);
  PERFORM onhand_judge_alerts(jsonb_build_array(jsonb_build_object('p', v_product.id, 'w', v.warehouse_id)), p->>'actor', (p->>'at')::timestamptz);
  RETURN json_build_object('movementId', v.movement_id, 'sku', v_product.sku, 'warehouse', p->>'warehouse', 'location', v_loc.code,
    'delta', (p->>'delta')::int, 'reason', p->>'reason', 'onHand', v.on_hand, 'reserved', v.reserved, 'available', v.on_hand - v.reserved,
    'version', v.version);
END $$;
--> statement-breakpoint
-- A cycle count, compare-and-set: on_hand becomes `counted` only if it is still `expected`; otherwise a conflict with
-- the current figure. Still current but below what carts and orders hold: not a shortage to sell around, a state to
-- resolve. A count that matches is recorded too (zero deltas): it is when the bin was last counted.
CREATE FUNCTION onhand_count(p jsonb) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
  v_product products%ROWTYPE := onhand_product_for_new_stock(p->>'sku', 'sku');
  v_loc locations%ROWTYPE := onhand_location_for_new_stock(p->>'warehouse', p->>'location', 'location');
  v_counted int := (p->>'counted')::int;
  v_expected int := (p->>'expected')::int;
  v record;
  v_refusal json;
BEGIN
  SELECT * INTO v FROM onhand_try_change_level(v_product.id, v_loc.id, 'count', v_counted - v_expected, 0, v_expected, 'cycle_count',
    CASE WHEN p->>'reference' IS NOT NULL THEN 'reference' END, p->>'reference', p->>'note', p->>'actor', (p->>'command')::uuid, (p->>'at')::timestamptz);
  IF NOT FOUND THEN
    v_refusal := onhand_refusal_of(v_product.id, v_loc.id, v_counted - v_expected, 0, v_expected);
    IF v_refusal->>'type' = 'insufficient_stock' THEN
      PERFORM onhand_refuse('invalid_state',
        format('%s in %s has %s reserved for carts and orders; a count of %s is below that. ', v_product.sku, v_loc.code, v_refusal->'details'->>'reserved', v_counted)
          || 'Find the reserved units, or release or short-pick their holds first.',
        json_build_object('sku', v_product.sku, 'location', v_loc.code, 'counted', v_counted, 'reserved', (v_refusal->'details'->>'reserved')::int,
          'onHand', (v_refusal->'details'->>'onHand')::int));
    END IF;
    PERFORM onhand_refuse(v_refusal->>'type', v_refusal->>'message', v_refusal->'details');
  END IF;
  PERFORM onhand_judge_alerts(jsonb_build_array(jsonb_build_object('p', v_product.id, 'w', v.warehouse_id)), p->>'actor', (p->>'at')::timestamptz);
  RETURN json_build_object('movementId', v.movement_id, 'sku', v_product.sku, 'warehouse', p->>'warehouse', 'location', v_loc.code,
    'counted', v_counted, 'delta', v_counted - v_expected, 'onHand', v.on_hand, 'reserved', v.reserved, 'available', v.on_hand - v.reserved,
    'version', v.version);
END $$;
--> statement-breakpoint
-- Moves available units between two bins, in one warehouse or across warehouses: 'transfer_out' and 'transfer_in' in
-- one command, in the global lock order (by location id). Reserved units stay where their holds are.
CREATE FUNCTION onhand_transfer(p jsonb) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
  v_product products%ROWTYPE := onhand_product_by_sku(p->>'sku');
  v_from locations%ROWTYPE := onhand_location_by_code(p->'from'->>'warehouse', p->'from'->>'location');
  v_to locations%ROWTYPE := onhand_location_for_new_stock(p->'to'->>'warehouse', p->'to'->>'location', 'to');
  v_qty int := (p->>'qty')::int;
  v_ref_type text := CASE WHEN p->>'reference' IS NOT NULL THEN 'reference' END;
  v_out record;
  v_in record;
BEGIN
  IF v_from.id = v_to.id THEN
    PERFORM onhand_refuse('validation_failed', 'Invalid request: to: must be a different location than from',
      json_build_object('fields', json_build_object('to', json_build_array('must be a different location than from'))));
  END IF;
  IF v_from.id < v_to.id THEN
    SELECT * INTO v_out FROM onhand_change_level(v_product.id, v_from.id, 'transfer_out', -v_qty, 0, NULL, NULL, v_ref_type, p->>'reference',
      p->>'note', p->>'actor', (p->>'command')::uuid, (p->>'at')::timestamptz);
  END IF;
  SELECT * INTO v_in FROM onhand_change_level(v_product.id, v_to.id, 'transfer_in', v_qty, 0, NULL, NULL, v_ref_type, p->>'reference',
    p->>'note', p->>'actor', (p->>'command')::uuid, (p->>'at')::timestamptz);
  IF v_from.id > v_to.id THEN
    SELECT * INTO v_out FROM onhand_change_level(v_product.id, v_from.id, 'transfer_out', -v_qty, 0, NULL, NULL, v_ref_type, p->>'reference',
      p->>'note', p->>'actor', (p->>'command')::uuid, (p->>'at')::timestamptz);
  END IF;
  PERFORM onhand_judge_alerts(jsonb_build_array(jsonb_build_object('p', v_product.id, 'w', v_out.warehouse_id),
    jsonb_build_object('p', v_product.id, 'w', v_in.warehouse_id)), p->>'actor', (p->>'at')::timestamptz);
  RETURN json_build_object('sku', v_product.sku, 'qty', v_qty,
    'from', json_build_object('warehouse', p->'from'->>'warehouse', 'location', v_from.code, 'onHand', v_out.on_hand,
      'available', v_out.on_hand - v_out.reserved, 'movementId', v_out.movement_id),
    'to', json_build_object('warehouse', p->'to'->>'warehouse', 'location', v_to.code, 'onHand', v_in.on_hand,
      'available', v_in.on_hand - v_in.reserved, 'movementId', v_in.movement_id));
END $$;
--> statement-breakpoint
-- A stock change as one call: the idempotency claim or replay, the command, a manager's approval it applies, and the
-- stored answer. A refusal rolls back what the command wrote; under a key it is kept as the answer (the only
-- savepoint: the claim must survive the refusal), without one it is raised to the caller.
-- p: the command's input with {actor, command, at, scope, key, hash, statuses, approval: {id, by} | null}.
CREATE FUNCTION onhand_run(p_command text, p jsonb) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
  v_claim json;
  v_answer json;
  v_keyed boolean := p->>'key' IS NOT NULL;
BEGIN
  IF v_keyed THEN
    v_claim := onhand_claim_key(p->>'scope', p->>'key', p->>'hash');
    IF v_claim IS NOT NULL THEN
      RETURN json_build_array(json_build_object('replayed', NOT (v_claim->>'mismatch')::boolean, 'answer', v_claim->'answer'));
    END IF;
    BEGIN
      v_answer := json_build_object('ok', true, 'value', onhand_run_body(p_command, p));
    EXCEPTION WHEN SQLSTATE 'OH001' THEN
      v_answer := json_build_object('ok', false, 'error', SQLERRM::json);
    END;
  ELSE
    v_answer := json_build_object('ok', true, 'value', onhand_run_body(p_command, p));
  END IF;
  RETURN onhand_answers(jsonb_build_array(p), ARRAY[v_answer], ARRAY[false], ARRAY[v_keyed], p->'statuses');
END $$;
