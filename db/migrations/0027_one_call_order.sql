-- Order placement as one call (#18): the order, its lines, the cart holds it takes over and the stock it holds for
-- every line, all or nothing.
CREATE FUNCTION onhand_allocate_order(p jsonb) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
  v_api_key uuid := (p->>'apiKey')::uuid;
  v_sku text[];
  v_qty int[];
  v_prod int[];
  v_taken int[];
  v_missing text[];
  v_scope jsonb;
  v_whs int[];
  v_order orders%ROWTYPE;
  v_existing record;
  v_unknown text[];
  v_row record;
  v_held uuid[] := '{}';
  v_plan record;
  v_short json[] := '{}';
  v_pl int[] := '{}';
  v_pq int[] := '{}';
  v_pn int[] := '{}';
  v_line_ids uuid[] := '{}';
  v_pairs jsonb := '[]';
  v_change record;
  v_allowed text;
BEGIN
  -- Two lines of one item are one quantity (two cart lines must not each pass: medusajs/medusa#16502), in the order
  -- they first appear.
  SELECT array_agg(g.sku ORDER BY g.first), array_agg(g.qty ORDER BY g.first), array_agg(g.product_id ORDER BY g.first),
    array_agg(g.sku ORDER BY g.first) FILTER (WHERE g.product_id IS NULL)
  INTO v_sku, v_qty, v_prod, v_missing
  FROM (SELECT e.x->>'sku' AS sku, sum((e.x->>'qty')::int)::int AS qty, min(e.ord) AS first, pr.id AS product_id
        FROM jsonb_array_elements(p->'lines') WITH ORDINALITY AS e(x, ord)
        LEFT JOIN products pr ON pr.sku = e.x->>'sku'
        GROUP BY e.x->>'sku', pr.id) g;
  v_taken := array_fill(0, ARRAY[cardinality(v_sku)]);
  IF v_missing IS NOT NULL THEN
    PERFORM onhand_refuse('not_found',
      'No product matches SKU ' || (SELECT string_agg(to_json(m)::text, ', ' ORDER BY o) FROM unnest(v_missing) WITH ORDINALITY AS u(m, o)) || '.',
      json_build_object('sku', v_missing[1], 'skus', to_json(v_missing)));
  END IF;
  v_scope := onhand_write_scope(p->>'warehouse', p->>'channel', false);
  IF v_scope ? 'error' THEN PERFORM onhand_refuse(v_scope->'error'->>'type', v_scope->'error'->>'message', (v_scope->'error'->'details')::json); END IF;
  v_whs := CASE WHEN jsonb_typeof(v_scope->'warehouseIds') = 'array' THEN ARRAY(SELECT jsonb_array_elements_text(v_scope->'warehouseIds')::int) END;

  INSERT INTO orders (channel, reference, status, created_by, owner_key_id)
  VALUES (p->>'channel', p->>'reference', 'allocated', p->>'label', v_api_key)
  ON CONFLICT DO NOTHING
  RETURNING * INTO v_order;
  IF v_order.id IS NULL THEN
    SELECT id, status, owner_key_id INTO v_existing FROM orders WHERE channel = p->>'channel' AND reference = p->>'reference';
    -- The reference is taken either way; only its owner learns which order holds it.
    PERFORM onhand_refuse('conflict', format('Order %s already exists in channel %s.', p->>'reference', p->>'channel'),
      CASE WHEN v_existing.id IS NOT NULL AND (v_api_key IS NULL OR v_existing.owner_key_id = v_api_key)
        THEN json_build_object('reference', p->>'reference', 'channel', p->>'channel', 'order', v_existing.id, 'status', v_existing.status)
        ELSE json_build_object('reference', p->>'reference', 'channel', p->>'channel') END);
  END IF;

  -- The cart holds it takes over, locked in id order. One that expired or was released meanwhile adds nothing; one
  -- for an order, for an item the order does not contain, or held where the order may not take stock, is refused.
  -- Another key's holds are unknown here, as they are everywhere.
  IF jsonb_typeof(p->'holds') = 'array' AND jsonb_array_length(p->'holds') > 0 THEN
    PERFORM 1 FROM reservations r WHERE r.hold_id IN (SELECT (jsonb_array_elements_text(p->'holds'))::uuid) ORDER BY r.id FOR UPDATE;
    SELECT array_agg(h ORDER BY o) INTO v_unknown FROM (
      SELECT DISTINCT ON (h) h, o FROM jsonb_array_elements_text(p->'holds') WITH ORDINALITY AS u(h, o) ORDER BY h, o) d
    WHERE NOT EXISTS (SELECT 1 FROM reservations r WHERE r.hold_id = d.h::uuid AND (v_api_key IS NULL OR r.owner_key_id = v_api_key));
    IF v_unknown IS NOT NULL THEN
      PERFORM onhand_refuse('not_found', 'No reservation ' || array_to_string(v_unknown, ', ') || '.', json_build_object('reservation', v_unknown[1]));
    END IF;
    IF jsonb_typeof(v_scope->'warehouseCodes') = 'array' THEN
      v_allowed := array_to_string(ARRAY(SELECT jsonb_array_elements_text(v_scope->'warehouseCodes')), ', ');
    END IF;
    FOR v_row IN
      SELECT r.id, r.hold_id, r.order_line_id, r.status, r.product_id, r.qty, pr.sku, w.code AS warehouse, r.product_id = ANY (v_prod) AS ordered
      FROM reservations r JOIN products pr ON pr.id = r.product_id JOIN locations l ON l.id = r.location_id JOIN warehouses w ON w.id = l.warehouse_id
      WHERE r.hold_id IN (SELECT (jsonb_array_elements_text(p->'holds'))::uuid) AND (v_api_key IS NULL OR r.owner_key_id = v_api_key)
      ORDER BY r.id
    LOOP
      IF v_row.order_line_id IS NOT NULL THEN
        PERFORM onhand_refuse('invalid_state', format('Reservation %s already holds stock for an order.', v_row.hold_id), json_build_object('reservation', v_row.hold_id));
      END IF;
      IF NOT v_row.ordered THEN
        PERFORM onhand_refuse('validation_failed', format('Reservation %s holds %s, which this order does not contain.', v_row.hold_id, v_row.sku),
          json_build_object('fields', json_build_object('holds', json_build_array(format('%s holds %s, which no line orders', v_row.hold_id, v_row.sku)))));
      END IF;
      IF jsonb_typeof(v_scope->'warehouseCodes') = 'array' AND v_row.status = 'active' AND NOT (v_scope->'warehouseCodes') ? v_row.warehouse THEN
        PERFORM onhand_refuse('validation_failed',
          format('Reservation %s is held in warehouse %s; this order takes stock from %s.', v_row.hold_id, v_row.warehouse, v_allowed),
          json_build_object('fields', json_build_object('holds', json_build_array(format('%s is held in %s, not in %s', v_row.hold_id, v_row.warehouse, v_allowed)))));
      END IF;
      IF v_row.status = 'active' THEN
        v_held := v_held || v_row.id;
        v_taken[array_position(v_prod, v_row.product_id)] := v_taken[array_position(v_prod, v_row.product_id)] + v_row.qty;
      END IF;
    END LOOP;
  END IF;

  -- The global lock order: the products' totals rows, then their levels, by product and location.
  PERFORM 1 FROM product_stock ps WHERE ps.product_id = ANY (v_prod) ORDER BY ps.product_id FOR NO KEY UPDATE;
  PERFORM 1 FROM stock_levels sl WHERE sl.product_id = ANY (v_prod) ORDER BY sl.product_id, sl.location_id FOR UPDATE;
  -- The held units go back to the pool this order allocates from; nothing else can take them meanwhile.
  IF cardinality(v_held) > 0 THEN
    SELECT v_pairs || coalesce(jsonb_agg(jsonb_build_object('p', c.product_id, 'w', c.warehouse_id)), '[]') INTO v_pairs
    FROM onhand_close_holds(v_held, 'consumed', 'converted_to_order', p->>'actor', (p->>'command')::uuid, (p->>'at')::timestamptz) c;
  END IF;

  FOR i IN 1..cardinality(v_sku) LOOP
    SELECT * INTO v_plan FROM onhand_allocation(v_prod[i], v_qty[i], v_whs, (v_scope->>'buffer')::int, v_taken[i], NULL);
    IF (SELECT coalesce(sum(t), 0) FROM unnest(v_plan.takes) t) < v_qty[i] THEN
      v_short := v_short || json_build_object('sku', v_sku[i], 'requested', v_qty[i], 'available', v_plan.available);
    ELSE
      v_pl := v_pl || v_plan.location_ids;
      v_pq := v_pq || v_plan.takes;
      v_pn := v_pn || array_fill(i, ARRAY[cardinality(v_plan.location_ids)]);
    END IF;
  END LOOP;
  IF cardinality(v_short) > 0 THEN
    PERFORM onhand_refuse('insufficient_stock',
      format('Not enough stock for order %s%s: %s. Nothing was allocated.', p->>'reference',
        coalesce(' in warehouse ' || (p->>'warehouse'), '') || coalesce(' for channel ' || (v_scope->>'channel'), ''),
        (SELECT string_agg(format('%s (%s of %s)', s->>'sku', s->>'available', s->>'requested'), ', ') FROM unnest(v_short) AS s)),
      CASE WHEN p->>'warehouse' IS NOT NULL
        THEN json_build_object('reference', p->>'reference', 'warehouse', p->>'warehouse', 'lines', to_json(v_short))
        ELSE json_build_object('reference', p->>'reference', 'lines', to_json(v_short)) END);
  END IF;

  FOR v_change IN
    SELECT v_prod[u.n] AS product_id, u.loc, u.q FROM unnest(v_pl, v_pq, v_pn) AS u(loc, q, n)
    ORDER BY 1, 2
  LOOP
    PERFORM onhand_change_level(v_change.product_id, v_change.loc, 'allocation', 0, v_change.q, NULL, NULL, 'order', v_order.id::text, NULL,
      p->>'actor', (p->>'command')::uuid, (p->>'at')::timestamptz);
    v_pairs := v_pairs || jsonb_build_array(jsonb_build_object('p', v_change.product_id, 'l', v_change.loc));
  END LOOP;
  WITH ins AS (
    INSERT INTO order_lines (order_id, line_no, product_id, qty)
    SELECT v_order.id, n, v_prod[n], v_qty[n] FROM generate_series(1, cardinality(v_prod)) AS n ORDER BY n
    RETURNING id, line_no
  )
  INSERT INTO reservations (product_id, location_id, qty, order_line_id, reference, hold_id, created_by, owner_key_id)
  SELECT v_prod[u.n], u.loc, u.q, ins.id, v_order.reference, v_order.id, p->>'label', v_order.owner_key_id
  FROM unnest(v_pl, v_pq, v_pn) WITH ORDINALITY AS u(loc, q, n, o) JOIN ins ON ins.line_no = u.n
  ORDER BY u.o;
  PERFORM onhand_judge_alerts(v_pairs, p->>'actor', (p->>'at')::timestamptz);
  RETURN json_build_object('id', v_order.id, 'reference', v_order.reference, 'channel', v_order.channel, 'status', 'allocated',
    'lines', (SELECT json_agg(json_build_object('lineNo', k, 'sku', v_sku[k], 'qty', v_qty[k],
        'allocations', coalesce((SELECT json_agg(json_build_object('warehouse', w.code, 'location', lo.code, 'qty', u.q) ORDER BY u.o)
          FROM unnest(v_pl, v_pq, v_pn) WITH ORDINALITY AS u(loc, q, n, o) JOIN locations lo ON lo.id = u.loc JOIN warehouses w ON w.id = lo.warehouse_id
          WHERE u.n = k), '[]'::json)) ORDER BY k)
      FROM generate_series(1, cardinality(v_sku)) AS k));
END $$;
--> statement-breakpoint
-- The stock changes onhand_run runs (migration 0024), each a function of its input.
CREATE FUNCTION onhand_run_body(p_command text, p jsonb) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
  v_value json;
BEGIN
  v_value := CASE p_command
    WHEN 'adjust' THEN onhand_adjust(p)
    WHEN 'count' THEN onhand_count(p)
    WHEN 'transfer' THEN onhand_transfer(p)
    WHEN 'receive' THEN onhand_receive(p)
    WHEN 'pick' THEN onhand_pick(p)
    WHEN 'allocateOrder' THEN onhand_allocate_order(p)
  END;
  IF v_value IS NULL THEN RAISE EXCEPTION 'onhand_run: no command %', p_command; END IF;
  IF jsonb_typeof(p->'approval') = 'object' THEN
    PERFORM onhand_decide_approval((p->'approval'->>'id')::bigint, p->'approval'->>'by', (v_value->>'movementId')::bigint);
  END IF;
  RETURN v_value;
END $$;
