-- Pick as one call (#18), on order helpers that the TypeScript order commands (short pick, ship, cancel) call too
-- (kernel/orders.ts): the order's lock with its owner, its line for a SKU, the shipping location picked stock waits
-- in, a line's hold growing or being used up, and the order's status after a pick.

-- The order, locked (every command that changes an order takes its row first). Another API key's order is not
-- found, exactly as one that does not exist.
CREATE FUNCTION onhand_lock_order(p_id uuid, p_reference text, p_channel text, p_api_key uuid) RETURNS orders
LANGUAGE plpgsql AS $$
DECLARE
  v orders%ROWTYPE;
BEGIN
  IF p_id IS NOT NULL THEN
    SELECT * INTO v FROM orders WHERE id = p_id FOR UPDATE;
  ELSE
    SELECT * INTO v FROM orders WHERE channel = p_channel AND reference = coalesce(p_reference, '') FOR UPDATE;
  END IF;
  IF NOT FOUND OR (p_api_key IS NOT NULL AND v.owner_key_id IS DISTINCT FROM p_api_key) THEN
    PERFORM onhand_refuse('not_found',
      'No order matches ' || CASE WHEN p_id IS NOT NULL THEN p_id::text ELSE format('%s (channel %s)', p_reference, p_channel) END || '.',
      CASE WHEN p_id IS NOT NULL THEN json_build_object('order', p_id) ELSE json_build_object('reference', p_reference, 'channel', p_channel) END);
  END IF;
  RETURN v;
END $$;
--> statement-breakpoint
-- Picking (and short picking) is open from allocation until every line is settled.
CREATE FUNCTION onhand_assert_pickable(p_order orders) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF p_order.status NOT IN ('allocated', 'picking') THEN
    PERFORM onhand_refuse('invalid_state', format('Order %s is %s; it cannot be picked.', p_order.reference, p_order.status),
      json_build_object('order', p_order.id, 'reference', p_order.reference, 'status', p_order.status));
  END IF;
END $$;
--> statement-breakpoint
-- The order that is to be picked (or short-picked): locked, and refused unless picking is open.
CREATE FUNCTION onhand_lock_pickable_order(p_id uuid, p_reference text, p_channel text, p_api_key uuid) RETURNS orders
LANGUAGE plpgsql AS $$
DECLARE
  v orders%ROWTYPE := onhand_lock_order(p_id, p_reference, p_channel, p_api_key);
BEGIN
  PERFORM onhand_assert_pickable(v);
  RETURN v;
END $$;
--> statement-breakpoint
CREATE FUNCTION onhand_line_for_sku(p_order uuid, p_order_reference text, p_sku text) RETURNS order_lines
LANGUAGE plpgsql AS $$
DECLARE
  v order_lines%ROWTYPE;
BEGIN
  SELECT ol.* INTO v FROM order_lines ol JOIN products pr ON pr.id = ol.product_id WHERE ol.order_id = p_order AND pr.sku = p_sku;
  IF NOT FOUND THEN
    PERFORM onhand_refuse('invalid_state', format('%s is not on order %s.', p_sku, p_order_reference),
      json_build_object('order', p_order, 'reference', p_order_reference, 'sku', p_sku));
  END IF;
  RETURN v;
END $$;
--> statement-breakpoint
-- Picked units wait in the warehouse's shipping location (the first of kind shipping, by id).
CREATE FUNCTION onhand_shipping_location(p_warehouse int, p_code text) RETURNS locations
LANGUAGE plpgsql AS $$
DECLARE
  v locations%ROWTYPE;
BEGIN
  SELECT * INTO v FROM locations WHERE warehouse_id = p_warehouse AND kind = 'shipping' ORDER BY id LIMIT 1;
  IF NOT FOUND THEN
    PERFORM onhand_refuse('invalid_state', format('Warehouse %s has no shipping location to stage picked stock in.', p_code),
      json_build_object('warehouse', p_code));
  END IF;
  RETURN v;
END $$;
--> statement-breakpoint
-- Adds qty to the line's active hold at a location, or opens one. The caller has already changed the level.
CREATE FUNCTION onhand_add_line_hold(p_order uuid, p_line uuid, p_reference text, p_product int, p_location int, p_qty int, p_owner uuid, p_label text)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE reservations SET qty = qty + p_qty WHERE order_line_id = p_line AND location_id = p_location AND status = 'active';
  IF NOT FOUND THEN
    INSERT INTO reservations (product_id, location_id, qty, order_line_id, reference, hold_id, created_by, owner_key_id)
    VALUES (p_product, p_location, p_qty, p_line, p_reference, p_order, p_label, p_owner);
  END IF;
END $$;
--> statement-breakpoint
-- Takes qty out of a hold; at zero the hold is used up ('consumed').
CREATE FUNCTION onhand_take_from_hold(p_hold uuid, p_qty int, p_at timestamptz) RETURNS void
LANGUAGE sql AS $$
  UPDATE reservations SET qty = qty - p_qty,
    status = CASE WHEN qty = p_qty THEN 'consumed'::reservation_status ELSE status END,
    closed_at = CASE WHEN qty = p_qty THEN coalesce(p_at, now()) ELSE closed_at END
  WHERE id = p_hold AND qty >= p_qty;
$$;
--> statement-breakpoint
-- After a pick or a short pick: 'picked' once every line is settled (picked + short = qty), else 'picking'.
CREATE FUNCTION onhand_settle_pick_status(p_order uuid) RETURNS order_status
LANGUAGE sql AS $$
  UPDATE orders SET updated_at = now(),
    status = CASE WHEN EXISTS (SELECT 1 FROM order_lines ol WHERE ol.order_id = p_order AND ol.picked_qty + ol.short_qty < ol.qty)
      THEN 'picking'::order_status ELSE 'picked'::order_status END
  WHERE id = p_order
  RETURNING status;
$$;
--> statement-breakpoint
-- Picks units of an order line from the bin where the line holds them (never from elsewhere: medusajs/medusa#14987).
-- The bin loses on_hand and reserved ('pick'); the warehouse's shipping location gains both ('staged'), with a hold
-- for the line there, so staged stock stays unavailable and every reserved unit has a reservation row.
CREATE FUNCTION onhand_pick(p jsonb) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
  v_order orders%ROWTYPE := onhand_lock_pickable_order((p->>'orderId')::uuid, p->>'reference', p->>'channel', (p->>'apiKey')::uuid);
  v_line order_lines%ROWTYPE;
  v_sku text;
  v_bin locations%ROWTYPE;
  v_ship locations%ROWTYPE;
  v_hold reservations%ROWTYPE;
  v_held int;
  v_qty int := (p->>'qty')::int;
  v_from record;
  v_to record;
  v_status order_status;
BEGIN
  v_line := onhand_line_for_sku(v_order.id, v_order.reference, p->>'sku');
  SELECT sku INTO v_sku FROM products WHERE id = v_line.product_id;
  v_bin := onhand_location_by_code(p->>'warehouse', p->>'location');
  SELECT * INTO v_hold FROM reservations WHERE order_line_id = v_line.id AND location_id = v_bin.id AND status = 'active' FOR UPDATE;
  v_held := coalesce(v_hold.qty, 0);
  IF v_qty > v_held THEN
    PERFORM onhand_refuse('insufficient_stock', format('Order %s holds %s of %s in %s; cannot pick %s there.', v_order.reference, v_held, v_sku, v_bin.code, v_qty),
      json_build_object('sku', v_sku, 'location', v_bin.code, 'requested', v_qty, 'available', v_held,
        'heldAt', coalesce((SELECT json_agg(json_build_object('warehouse', w.code, 'location', l.code, 'qty', r.qty) ORDER BY r.id)
          FROM reservations r JOIN locations l ON l.id = r.location_id JOIN warehouses w ON w.id = l.warehouse_id
          WHERE r.order_line_id = v_line.id AND r.status = 'active' AND l.kind <> 'shipping'), '[]'::json)));
  END IF;
  v_ship := onhand_shipping_location(v_bin.warehouse_id, p->>'warehouse');
  -- The two levels in the global lock order (location id).
  IF v_bin.id < v_ship.id THEN
    SELECT * INTO v_from FROM onhand_change_level(v_line.product_id, v_bin.id, 'pick', -v_qty, -v_qty, NULL, NULL, 'order', v_order.id::text, NULL,
      p->>'actor', (p->>'command')::uuid, (p->>'at')::timestamptz);
  END IF;
  SELECT * INTO v_to FROM onhand_change_level(v_line.product_id, v_ship.id, 'staged', v_qty, v_qty, NULL, NULL, 'order', v_order.id::text, NULL,
    p->>'actor', (p->>'command')::uuid, (p->>'at')::timestamptz);
  IF v_bin.id > v_ship.id THEN
    SELECT * INTO v_from FROM onhand_change_level(v_line.product_id, v_bin.id, 'pick', -v_qty, -v_qty, NULL, NULL, 'order', v_order.id::text, NULL,
      p->>'actor', (p->>'command')::uuid, (p->>'at')::timestamptz);
  END IF;
  PERFORM onhand_take_from_hold(v_hold.id, v_qty, (p->>'at')::timestamptz);
  PERFORM onhand_add_line_hold(v_order.id, v_line.id, v_order.reference, v_line.product_id, v_ship.id, v_qty, v_order.owner_key_id, p->>'label');
  UPDATE order_lines SET picked_qty = picked_qty + v_qty WHERE id = v_line.id RETURNING * INTO v_line;
  v_status := onhand_settle_pick_status(v_order.id);
  PERFORM onhand_judge_alerts(jsonb_build_array(jsonb_build_object('p', v_line.product_id, 'w', v_bin.warehouse_id)), p->>'actor', (p->>'at')::timestamptz);
  RETURN json_build_object('orderId', v_order.id, 'reference', v_order.reference, 'status', v_status, 'sku', v_sku, 'qty', v_qty,
    'from', json_build_object('warehouse', p->>'warehouse', 'location', v_bin.code, 'onHand', v_from.on_hand, 'available', v_from.on_hand - v_from.reserved),
    'to', json_build_object('warehouse', p->>'warehouse', 'location', v_ship.code),
    'line', json_build_object('lineNo', v_line.line_no, 'sku', v_sku, 'qty', v_line.qty, 'pickedQty', v_line.picked_qty, 'shortQty', v_line.short_qty,
      'remaining', v_line.qty - v_line.picked_qty - v_line.short_qty),
    'movementIds', json_build_array(v_from.movement_id, v_to.movement_id));
END $$;
