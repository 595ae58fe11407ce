-- Receive as one call (#18): into a bin, or against a purchase order's line, whose status follows in the same
-- transaction. The order's rule (which states take a receipt, and how a refusal names the state) is the caller's
-- table (purchase-orders.ts PO_ACTIONS), passed in as p.poRule = {allowed: [status], labels: {status: label}, only}.
CREATE FUNCTION onhand_receive(p jsonb) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
  v_ref text := p->>'purchaseOrder';
  v_qty int := (p->>'qty')::int;
  v_po purchase_orders%ROWTYPE;
  v_product products%ROWTYPE;
  v_loc locations%ROWTYPE;
  v_line record;
  v_over int;
  v_open int;
  v_status purchase_order_status;
  v_po_line json;
  v record;
BEGIN
  -- The order's row is locked first, as closing or cancelling it does: whichever commits second sees the first.
  IF v_ref IS NOT NULL THEN
    SELECT * INTO v_po FROM purchase_orders WHERE reference = v_ref FOR UPDATE;
    IF NOT FOUND THEN
      PERFORM onhand_refuse('not_found', format('No purchase order %s.', v_ref), json_build_object('purchaseOrder', v_ref));
    END IF;
  END IF;
  v_product := onhand_product_for_new_stock(p->>'sku', 'sku');
  v_loc := onhand_location_for_new_stock(p->>'warehouse', p->>'location', 'location');
  IF v_ref IS NOT NULL THEN
    IF NOT (p->'poRule'->'allowed') ? v_po.status::text THEN
      PERFORM onhand_refuse('invalid_state',
        format('Purchase order %s is %s: %s.', v_po.reference, lower(p->'poRule'->'labels'->>(v_po.status::text)), p->'poRule'->>'only'),
        json_build_object('purchaseOrder', v_po.reference, 'status', v_po.status));
    END IF;
    IF v_po.warehouse_id <> v_loc.warehouse_id THEN
      PERFORM onhand_refuse('invalid_state', format('Purchase order %s is for another warehouse.', v_po.reference), json_build_object('purchaseOrder', v_po.reference));
    END IF;
    UPDATE purchase_order_lines SET qty_received = qty_received + v_qty
    WHERE purchase_order_id = v_po.id AND product_id = v_product.id
    RETURNING qty_expected, qty_received INTO v_line;
    IF NOT FOUND THEN
      PERFORM onhand_refuse('invalid_state', format('%s is not on purchase order %s.', v_product.sku, v_po.reference),
        json_build_object('purchaseOrder', v_po.reference, 'sku', v_product.sku));
    END IF;
    -- More than was ordered is recorded, with a reason: the note says why (the floor screen asks for a re-scan).
    v_over := v_line.qty_received - greatest(v_line.qty_expected, v_line.qty_received - v_qty);
    IF v_over > 0 AND coalesce(p->>'note', '') = '' THEN
      PERFORM onhand_refuse('validation_failed',
        format('This receipt takes %s %s over the %s ordered on %s: give a reason in the note.', v_product.sku, v_over, v_line.qty_expected, v_po.reference),
        json_build_object('purchaseOrder', v_po.reference, 'sku', v_product.sku, 'over', v_over,
          'fields', json_build_object('note', json_build_array(v_over || ' over the ordered quantity: say why'))));
    END IF;
    -- The order's status follows its lines: received once none is short, else partially received.
    SELECT count(*) FILTER (WHERE qty_received < qty_expected)::int INTO v_open FROM purchase_order_lines WHERE purchase_order_id = v_po.id;
    v_status := CASE WHEN v_open = 0 THEN 'received' ELSE 'partially_received' END;
    UPDATE purchase_orders SET status = v_status, version = version + 1,
      closed_at = CASE WHEN v_status = 'received' THEN now() ELSE closed_at END
    WHERE id = v_po.id;
    v_po_line := json_build_object('expected', v_line.qty_expected, 'received', v_line.qty_received,
      'remaining', greatest(v_line.qty_expected - v_line.qty_received, 0), 'overReceived', greatest(v_line.qty_received - v_line.qty_expected, 0));
  END IF;
  SELECT * INTO v FROM onhand_change_level(v_product.id, v_loc.id, 'receipt', v_qty, 0, NULL, 'received',
    CASE WHEN v_ref IS NOT NULL THEN 'purchase_order' WHEN p->>'reference' IS NOT NULL THEN 'reference' END, coalesce(v_ref, p->>'reference'),
    p->>'note', p->>'actor', (p->>'command')::uuid, (p->>'at')::timestamptz);
  PERFORM onhand_judge_alerts(jsonb_build_array(jsonb_build_object('p', v_product.id, 'w', v.warehouse_id)), p->>'actor', (p->>'at')::timestamptz);
  RETURN json_build_object('movementId', v.movement_id, 'sku', v_product.sku, 'warehouse', p->>'warehouse', 'location', v_loc.code,
    'qty', v_qty, 'onHand', v.on_hand, 'available', v.on_hand - v.reserved, 'version', v.version, 'purchaseOrderLine', v_po_line);
END $$;
