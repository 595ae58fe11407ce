-- The hot commands as one call each (#18). Three rules move into the database and live only here: the low-stock
-- alert judgement (onhand_judge_alerts), the allocation rule (onhand_allocation) and, built on them, a cart hold
-- and its release (onhand_hold, onhand_release), each one statement on the wire. "Sellable" and "available" are
-- rendered as kernel/availability-rule.ts defines them (sellable flag, kind pick or storage; on hand - reserved).

-- Low-stock alert state for the (product, warehouse) pairs a command touched (invariant 4), after its stock rows
-- are locked. A pair's alert is open exactly while available (over its sellable locations) is at or under the
-- threshold: out_of_stock at zero, else low_stock; above it, resolved. An archived product's alerts resolve.
-- Locks, in one order for every transaction: each warehouse's (shared), then each pair's, so the last committer
-- judges the final figure; over 1,000 pairs (an opening-stock import) the warehouses exclusively and no pair
-- locks, which would overflow the server's lock table. The read is a new statement, so it sees every change
-- committed before the locks were granted. Figures are kept current (the manager's list is live through the row);
-- only opening, a kind change and resolving are history. A snooze ends when the stock runs out.
-- Pairs come as [{p, w}] or, where the caller knows only the level, [{p, l}] (the location's warehouse).
CREATE FUNCTION onhand_judge_alerts(p_pairs jsonb, p_actor text, p_at timestamptz) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  ps int[];
  ws int[];
  at timestamptz := coalesce(p_at, now());
BEGIN
  SELECT array_agg(x.p ORDER BY x.p, x.w), array_agg(x.w ORDER BY x.p, x.w) INTO ps, ws
  FROM (SELECT DISTINCT (e->>'p')::int AS p, coalesce((e->>'w')::int, (SELECT l.warehouse_id FROM locations l WHERE l.id = (e->>'l')::int)) AS w
        FROM jsonb_array_elements(p_pairs) e) x;
  IF ps IS NULL THEN RETURN; END IF;
  IF cardinality(ps) > 1000 THEN
    PERFORM pg_advisory_xact_lock(0, x.w) FROM (SELECT DISTINCT w FROM unnest(ws) AS u(w) ORDER BY 1) x;
  ELSE
    PERFORM pg_advisory_xact_lock_shared(0, x.w) FROM (SELECT DISTINCT w FROM unnest(ws) AS u(w) ORDER BY 1) x;
    PERFORM pg_advisory_xact_lock(x.p, x.w) FROM unnest(ps, ws) WITH ORDINALITY AS x(p, w, n) ORDER BY x.n;
  END IF;
  WITH t AS (SELECT * FROM unnest(ps, ws) AS t(p, w)),
  st AS (
    SELECT t.p, t.w,
      (SELECT coalesce(sum(sl.on_hand - sl.reserved) FILTER (WHERE l.sellable AND l.kind IN ('pick', 'storage')), 0)::int
        FROM stock_levels sl JOIN locations l ON l.id = sl.location_id WHERE sl.product_id = t.p AND l.warehouse_id = t.w) AS available,
      coalesce(pws.low_stock_threshold, pr.low_stock_threshold) AS threshold, pr.active AS listed,
      a.id, a.kind, a.available AS alert_available, a.threshold AS alert_threshold
    FROM t
    JOIN products pr ON pr.id = t.p
    LEFT JOIN product_warehouse_settings pws ON pws.product_id = t.p AND pws.warehouse_id = t.w
    LEFT JOIN alerts a ON a.product_id = t.p AND a.warehouse_id = t.w AND a.status <> 'resolved'
  ),
  j AS (
    SELECT st.*, (CASE WHEN NOT st.listed THEN NULL WHEN st.available <= 0 THEN 'out_of_stock'
                       WHEN st.available <= st.threshold THEN 'low_stock' END)::alert_kind AS want
    FROM st
  ),
  opened AS (
    INSERT INTO alerts (product_id, warehouse_id, kind, status, available, threshold, opened_at)
    SELECT j.p, j.w, j.want, 'open', j.available, j.threshold, at FROM j WHERE j.id IS NULL AND j.want IS NOT NULL
    ORDER BY j.p, j.w
    ON CONFLICT (product_id, warehouse_id) WHERE status <> 'resolved' DO NOTHING
    RETURNING alerts.id, 'opened'::alert_action AS action, alerts.kind, alerts.available, alerts.threshold
  ),
  resolved AS (
    UPDATE alerts a SET status = 'resolved', resolved_at = at, available = j.available, threshold = j.threshold,
      snoozed_until = NULL, version = a.version + 1
    FROM j WHERE a.id = j.id AND j.want IS NULL AND a.status <> 'resolved'
    RETURNING a.id, 'resolved'::alert_action AS action, a.kind, a.available, a.threshold
  ),
  changed AS (
    UPDATE alerts a SET kind = j.want, available = j.available, threshold = j.threshold, version = a.version + 1,
      snoozed_until = CASE WHEN j.want = 'out_of_stock' AND j.kind = 'low_stock' THEN NULL ELSE a.snoozed_until END
    FROM j
    WHERE a.id = j.id AND j.want IS NOT NULL AND a.status <> 'resolved'
      AND NOT (j.want = j.kind AND j.available = j.alert_available AND j.threshold = j.alert_threshold)
    RETURNING a.id, (CASE WHEN j.want <> j.kind THEN 'kind_changed' END)::alert_action AS action, a.kind, a.available, a.threshold
  )
  INSERT INTO alert_events (alert_id, action, kind, available, threshold, actor, created_at)
  SELECT e.id, e.action, e.kind, e.available, e.threshold, p_actor, at
  FROM (SELECT * FROM opened UNION ALL SELECT * FROM resolved UNION ALL SELECT * FROM changed) e
  WHERE e.action IS NOT NULL;
END $$;
--> statement-breakpoint
-- ALLOCATION RULE (the only rendering; kernel/allocation.ts explains it): where qty of a product is held.
--   1. Sellable locations only (flagged sellable, kind pick or storage), in the given warehouses (null: all), not
--      the excluded ones, with something available: onhand_candidates.
--   2. Pick locations first, then the others; within each group the most available first; ties by location id.
--   3. Take what each has, in that order, until qty is covered (a hold may split).
--   4. A storefront channel's last `buffer` units are never taken, except the `taken_over` units already the
--      caller's (cart holds an order takes over): available = max(total - taken_over - buffer, 0) + taken_over.
-- 2–4 are onhand_plan, over the candidates' figures: a batch of holds plans each against what the ones before it
-- left without reading the table again. Fills as far as it can (the caller refuses a short plan). The caller has
-- locked the levels it reads.
CREATE FUNCTION onhand_candidates(p_product int, p_warehouses int[], p_exclude int[],
  OUT location_ids int[], OUT picks boolean[], OUT avails int[])
LANGUAGE sql STABLE AS $$
  SELECT coalesce(array_agg(sl.location_id ORDER BY sl.location_id), '{}'),
    coalesce(array_agg(l.kind = 'pick' ORDER BY sl.location_id), '{}'),
    coalesce(array_agg(sl.on_hand - sl.reserved ORDER BY sl.location_id), '{}')
  FROM stock_levels sl
  JOIN locations l ON l.id = sl.location_id
  WHERE sl.product_id = p_product AND l.sellable AND l.kind IN ('pick', 'storage')
    AND (p_warehouses IS NULL OR l.warehouse_id = ANY (p_warehouses))
    AND NOT (sl.location_id = ANY (coalesce(p_exclude, '{}')))
$$;
--> statement-breakpoint
-- Procedural over the few candidates, so a batch of holds plans each without planning a query of its own.
CREATE FUNCTION onhand_plan(p_locations int[], p_picks boolean[], p_avails int[], p_qty int, p_buffer int, p_taken_over int,
  OUT available int, OUT location_ids int[], OUT takes int[])
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  v_total int := 0;
  v_taken int;
  v_left int;
  v_take int;
  v_order int[];
  i int;
BEGIN
  FOR i IN 1..coalesce(cardinality(p_avails), 0) LOOP
    IF p_avails[i] > 0 THEN v_total := v_total + p_avails[i]; END IF;
  END LOOP;
  v_taken := least(coalesce(p_taken_over, 0), v_total);
  available := greatest(v_total - v_taken - coalesce(p_buffer, 0), 0) + v_taken;
  location_ids := '{}';
  takes := '{}';
  v_left := least(p_qty, available);
  IF v_left <= 0 THEN RETURN; END IF;
  SELECT array_agg(u.n ORDER BY (NOT u.pick), u.av DESC, u.loc) INTO v_order
  FROM unnest(p_locations, p_picks, p_avails) WITH ORDINALITY AS u(loc, pick, av, n) WHERE u.av > 0;
  FOREACH i IN ARRAY v_order LOOP
    EXIT WHEN v_left = 0;
    v_take := least(p_avails[i], v_left);
    location_ids := location_ids || p_locations[i];
    takes := takes || v_take;
    v_left := v_left - v_take;
  END LOOP;
END $$;
--> statement-breakpoint
CREATE FUNCTION onhand_allocation(p_product int, p_qty int, p_warehouses int[], p_buffer int, p_taken_over int, p_exclude int[],
  OUT available int, OUT location_ids int[], OUT takes int[])
LANGUAGE sql STABLE AS $$
  SELECT p.* FROM onhand_candidates(p_product, p_warehouses, p_exclude) c,
    LATERAL onhand_plan(c.location_ids, c.picks, c.avails, p_qty, p_buffer, p_taken_over) p
$$;
--> statement-breakpoint
-- Where a hold or an order may take stock: a warehouse the caller names, a storefront channel's warehouses (and its
-- buffer), or everywhere. {"error": {...}} for a warehouse or channel that does not exist, or a warehouse that is
-- not the channel's. `where` finishes a refusal's sentence ("Only 3 of X available to hold …"). The channel row is
-- read FOR SHARE: an admin's change to its warehouses or buffer waits for this command. A channel that names no
-- storefront channel is an error only when required (a hold's); an order's channel also namespaces its reference.
CREATE FUNCTION onhand_write_scope(p_warehouse text, p_channel text, p_require_channel boolean) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  wh warehouses%ROWTYPE;
  ch channels%ROWTYPE;
  link_ids int[];
  link_codes text[];
BEGIN
  IF p_warehouse IS NOT NULL THEN
    SELECT * INTO wh FROM warehouses WHERE code = p_warehouse;
    IF NOT FOUND THEN
      RETURN jsonb_build_object('error', jsonb_build_object('type', 'not_found', 'message', 'No warehouse matches ' || to_json(p_warehouse)::text || '.',
        'details', jsonb_build_object('warehouse', p_warehouse)));
    END IF;
  END IF;
  IF p_channel IS NOT NULL THEN
    SELECT * INTO ch FROM channels WHERE key = p_channel FOR SHARE;
    IF NOT FOUND AND p_require_channel THEN
      RETURN jsonb_build_object('error', jsonb_build_object('type', 'not_found', 'message', 'No storefront channel ' || to_json(p_channel)::text || '.',
        'details', jsonb_build_object('channel', p_channel, 'fields', jsonb_build_object('channel', jsonb_build_array('no such channel')))));
    END IF;
  END IF;
  IF ch.id IS NOT NULL THEN
    SELECT array_agg(w.id ORDER BY w.id), array_agg(w.code ORDER BY w.id) INTO link_ids, link_codes
    FROM channel_warehouses cw JOIN warehouses w ON w.id = cw.warehouse_id WHERE cw.channel_id = ch.id;
  END IF;
  IF wh.id IS NOT NULL AND link_ids IS NOT NULL AND NOT (wh.id = ANY (link_ids)) THEN
    RETURN jsonb_build_object('error', jsonb_build_object('type', 'validation_failed',
      'message', format('Warehouse %s is not one of channel %s''s warehouses (%s).', wh.code, ch.key, array_to_string(link_codes, ', ')),
      'details', jsonb_build_object('fields', jsonb_build_object('warehouse', jsonb_build_array('not a warehouse of channel ' || ch.key)))));
  END IF;
  RETURN jsonb_build_object(
    'warehouseIds', CASE WHEN wh.id IS NOT NULL THEN to_jsonb(ARRAY[wh.id]) WHEN link_ids IS NOT NULL THEN to_jsonb(link_ids) END,
    'warehouseCodes', CASE WHEN wh.id IS NOT NULL THEN to_jsonb(ARRAY[wh.code]) WHEN link_ids IS NOT NULL THEN to_jsonb(link_codes) END,
    'buffer', coalesce(ch.buffer, 0),
    'channel', ch.key,
    'where', CASE WHEN wh.id IS NOT NULL THEN 'in warehouse ' || wh.code ELSE 'in sellable locations' END
      || CASE WHEN ch.id IS NOT NULL THEN ' for channel ' || ch.key ELSE '' END);
END $$;
--> statement-breakpoint
-- An Idempotency-Key: taken (null), or what answers the request now: the outcome stored under it, as its first
-- answer's text, or a refusal when the key was used with another request (never stored). A concurrent request with
-- the same key waits on the unique index until the first commits, then reads its outcome (a new statement sees it).
CREATE FUNCTION onhand_claim_key(p_scope text, p_key text, p_hash text) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
  prior idempotency_keys%ROWTYPE;
BEGIN
  INSERT INTO idempotency_keys (scope, key, request_hash, response_status, response_body)
  VALUES (p_scope, p_key, p_hash, 0, 'null') ON CONFLICT DO NOTHING;
  IF FOUND THEN RETURN NULL; END IF;
  SELECT * INTO prior FROM idempotency_keys WHERE scope = p_scope AND key = p_key;
  IF prior.request_hash <> p_hash THEN
    RETURN json_build_object('mismatch', true, 'answer', json_build_object('ok', false, 'error', json_build_object('type', 'idempotency_mismatch',
      'message', 'This Idempotency-Key was already used with a different request. Use a new key for a new request.', 'details', json_build_object())));
  END IF;
  RETURN json_build_object('mismatch', false, 'answer', (prior.response_body #>> '{}')::json);
END $$;
--> statement-breakpoint
-- Gives hold rows back: their reserved units return through the ledger (kind release, with why) and the rows close.
-- The one way a hold ends without shipping: released, expired by the sweeper, or taken over by an order. Locks in
-- the global order (the products' product_stock rows, then each level by product and location). Answers the levels
-- it changed, for the alert judgement that follows.
CREATE FUNCTION onhand_close_holds(p_ids uuid[], p_status reservation_status, p_reason text, p_actor text, p_command uuid, p_at timestamptz)
RETURNS TABLE (product_id int, location_id int, warehouse_id int)
LANGUAGE plpgsql AS $$
DECLARE
  v_row record;
  v_at timestamptz := coalesce(p_at, now());
BEGIN
  PERFORM 1 FROM product_stock ps WHERE ps.product_id IN (SELECT r.product_id FROM reservations r WHERE r.id = ANY (p_ids))
    ORDER BY ps.product_id FOR NO KEY UPDATE;
  FOR v_row IN SELECT r.id, r.hold_id, r.product_id, r.location_id, r.qty FROM reservations r WHERE r.id = ANY (p_ids)
    ORDER BY r.product_id, r.location_id, r.id LOOP
    WITH lvl AS (
      UPDATE stock_levels sl SET reserved = sl.reserved - v_row.qty, version = sl.version + 1, updated_at = now()
      WHERE sl.product_id = v_row.product_id AND sl.location_id = v_row.location_id AND sl.reserved - v_row.qty >= 0
      RETURNING sl.product_id, sl.location_id, sl.on_hand, sl.reserved, sl.version
    )
    INSERT INTO stock_movements (product_id, location_id, kind, on_hand_delta, reserved_delta, on_hand_after, reserved_after, version,
      reason_code, reference_type, reference_id, actor, command_id, created_at)
    SELECT lvl.product_id, lvl.location_id, 'release', 0, -v_row.qty, lvl.on_hand, lvl.reserved, lvl.version,
      p_reason, 'hold', v_row.hold_id::text, p_actor, p_command, v_at
    FROM lvl;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'hold row % cannot give back % reserved units of product % in location %', v_row.id, v_row.qty, v_row.product_id, v_row.location_id;
    END IF;
  END LOOP;
  UPDATE reservations r SET status = p_status, closed_at = v_at WHERE r.id = ANY (p_ids);
  RETURN QUERY SELECT DISTINCT r.product_id, r.location_id, l.warehouse_id FROM reservations r JOIN locations l ON l.id = r.location_id
    WHERE r.id = ANY (p_ids);
END $$;
--> statement-breakpoint
-- Stores each keyed request's answer and names every answer for the caller: [{replayed, answer}] in request order.
-- `p_statuses` is the HTTP status of each refusal type (kernel/errors.ts httpStatusOf).
CREATE FUNCTION onhand_answers(p_requests jsonb, p_answers json[], p_replayed boolean[], p_store boolean[], p_statuses jsonb) RETURNS json
LANGUAGE plpgsql AS $$
BEGIN
  FOR i IN 1..coalesce(cardinality(p_answers), 0) LOOP
    IF p_store[i] THEN
      UPDATE idempotency_keys SET
        response_status = CASE WHEN (p_answers[i]->>'ok')::boolean THEN 200 ELSE (p_statuses->>(p_answers[i]->'error'->>'type'))::int END,
        response_body = to_jsonb(p_answers[i]::text)
      WHERE scope = p_requests->(i - 1)->>'scope' AND key = p_requests->(i - 1)->>'key';
    END IF;
  END LOOP;
  RETURN (SELECT json_agg(json_build_object('replayed', u.r, 'answer', u.a) ORDER BY u.n)
          FROM unnest(p_answers, p_replayed) WITH ORDINALITY AS u(a, r, n));
END $$;
--> statement-breakpoint
-- Cart holds of one SKU (and warehouse, and channel) in one call: a hold alone, or the requests the coalescer
-- gathered while the previous batch committed. Each request keeps its own outcome: its idempotency record (claimed
-- here, its stored answer replayed, or refused when the key was used for another request), its own hold, its own
-- ledger row per location with the version and figures it left behind (in arrival order), its own answer, and its
-- own refusal when the stock runs out partway (a refused request writes nothing). Each is planned by the allocation
-- rule against what the requests before it left; the levels move once per location, after every plan.
-- p: {sku, warehouse, channel, at (a system actor's backdate, else null), statuses, requests: [{qty, ttl, reference,
-- actor, label, owner, command, scope, key, hash}]}. Answers [{replayed, answer: {ok, value} | {ok, error}}].
CREATE FUNCTION onhand_hold(p jsonb) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
  v_reqs jsonb := p->'requests';
  v_n int := jsonb_array_length(p->'requests');
  v_at timestamptz := coalesce((p->>'at')::timestamptz, now());
  v_answers json[] := array_fill(NULL::json, ARRAY[v_n]);
  v_replayed boolean[] := array_fill(false, ARRAY[v_n]);
  v_store boolean[] := array_fill(false, ARRAY[v_n]);
  v_live boolean[] := array_fill(false, ARRAY[v_n]);
  v_dup int[] := array_fill(0, ARRAY[v_n]);
  v_hold uuid[] := array_fill(NULL::uuid, ARRAY[v_n]);
  v_req jsonb;
  v_claim json;
  v_refusal json;
  v_product products%ROWTYPE;
  v_scope jsonb;
  v_whs int[];
  v_cand record;
  v_avails int[];
  v_at_k int;
  v_granted record;
  v_plan record;
  v_qty int;
  v_pl int[] := '{}';
  v_pq int[] := '{}';
  v_ph int[] := '{}';
  v_loc int;
  v_moved int;
  v_actor text;
BEGIN
  FOR i IN 1..v_n LOOP
    v_req := v_reqs->(i - 1);
    IF v_req->>'key' IS NULL THEN v_live[i] := true; CONTINUE; END IF;
    -- The same key twice in one call: the second is answered as a replay of the first.
    v_dup[i] := coalesce((SELECT min(k) FROM generate_series(1, i - 1) k
      WHERE v_reqs->(k - 1)->>'key' = v_req->>'key' AND v_reqs->(k - 1)->>'scope' = v_req->>'scope'), 0);
    CONTINUE WHEN v_dup[i] > 0;
    v_claim := onhand_claim_key(v_req->>'scope', v_req->>'key', v_req->>'hash');
    IF v_claim IS NULL THEN
      v_live[i] := true;
      v_store[i] := true;
    ELSE
      v_answers[i] := v_claim->'answer';
      v_replayed[i] := NOT (v_claim->>'mismatch')::boolean;
    END IF;
  END LOOP;

  IF true = ANY (v_live) THEN
    SELECT * INTO v_product FROM products WHERE sku = p->>'sku';
    IF NOT FOUND THEN
      v_refusal := json_build_object('ok', false, 'error', json_build_object('type', 'not_found',
        'message', 'No sku matches ' || to_json(p->>'sku')::text || '.', 'details', json_build_object('sku', p->>'sku')));
    ELSE
      v_scope := onhand_write_scope(p->>'warehouse', p->>'channel', true);
      IF v_scope ? 'error' THEN v_refusal := json_build_object('ok', false, 'error', (v_scope->'error')::json); END IF;
    END IF;
  END IF;

  IF v_refusal IS NULL AND true = ANY (v_live) THEN
    v_whs := CASE WHEN jsonb_typeof(v_scope->'warehouseIds') = 'array'
      THEN ARRAY(SELECT jsonb_array_elements_text(v_scope->'warehouseIds')::int) END;
    -- The global lock order: the product's totals row, then its levels by location.
    PERFORM 1 FROM product_stock ps WHERE ps.product_id = v_product.id FOR NO KEY UPDATE;
    PERFORM 1 FROM stock_levels sl WHERE sl.product_id = v_product.id ORDER BY sl.location_id FOR UPDATE;
    SELECT * INTO v_cand FROM onhand_candidates(v_product.id, v_whs, NULL);
    v_avails := v_cand.avails;
    FOR i IN 1..v_n LOOP
      CONTINUE WHEN NOT v_live[i];
      v_qty := (v_reqs->(i - 1)->>'qty')::int;
      SELECT * INTO v_plan FROM onhand_plan(v_cand.location_ids, v_cand.picks, v_avails, v_qty, (v_scope->>'buffer')::int, 0);
      -- A plan fills as far as is available: short exactly when less is available than asked.
      IF v_plan.available < v_qty THEN
        v_answers[i] := json_build_object('ok', false, 'error', json_build_object('type', 'insufficient_stock',
          'message', format('Only %s of %s available to hold %s; %s requested. Nothing was held.', v_plan.available, v_product.sku, v_scope->>'where', v_qty),
          'details', json_build_object('sku', v_product.sku, 'requested', v_qty, 'available', v_plan.available)));
        CONTINUE;
      END IF;
      v_hold[i] := gen_random_uuid();
      FOR k IN 1..cardinality(v_plan.location_ids) LOOP
        v_at_k := array_position(v_cand.location_ids, v_plan.location_ids[k]);
        v_avails[v_at_k] := v_avails[v_at_k] - v_plan.takes[k];
      END LOOP;
      v_pl := v_pl || v_plan.location_ids;
      v_pq := v_pq || v_plan.takes;
      v_ph := v_ph || array_fill(i, ARRAY[cardinality(v_plan.location_ids)]);
    END LOOP;

    -- One statement per location: the level moves by the call's total; each hold gets its own ledger row.
    FOR v_loc IN SELECT DISTINCT u.l FROM unnest(v_pl) AS u(l) ORDER BY 1 LOOP
      WITH d AS (
        SELECT u.q, u.h, row_number() OVER (ORDER BY u.o)::int AS k
        FROM unnest(v_pl, v_pq, v_ph) WITH ORDINALITY AS u(l, q, h, o) WHERE u.l = v_loc
      ),
      tot AS (SELECT sum(d.q)::int AS q, count(*)::int AS c FROM d),
      lvl AS (
        UPDATE stock_levels sl SET reserved = sl.reserved + tot.q, version = sl.version + tot.c, updated_at = now()
        FROM tot
        WHERE sl.product_id = v_product.id AND sl.location_id = v_loc AND sl.reserved + tot.q <= sl.on_hand
        RETURNING sl.product_id, sl.location_id, sl.on_hand, sl.reserved, sl.version, tot.q AS total, tot.c AS cnt
      ),
      mv AS (
        INSERT INTO stock_movements (product_id, location_id, kind, on_hand_delta, reserved_delta, on_hand_after, reserved_after, version,
          reference_type, reference_id, actor, command_id, created_at)
        SELECT lvl.product_id, lvl.location_id, 'reservation', 0, d.q, lvl.on_hand,
          (lvl.reserved - lvl.total + sum(d.q) OVER (ORDER BY d.k))::int, lvl.version - lvl.cnt + d.k,
          'hold', v_hold[d.h]::text, v_reqs->(d.h - 1)->>'actor', (v_reqs->(d.h - 1)->>'command')::uuid, v_at
        FROM d CROSS JOIN lvl
        ORDER BY d.k
        RETURNING 1
      )
      SELECT count(*) INTO v_moved FROM mv;
      -- The levels are locked and the plan was made on them: a refusal here means the figures are not what was read.
      IF v_moved = 0 THEN RAISE EXCEPTION 'hold: level %/% refused a planned change', v_product.id, v_loc; END IF;
    END LOOP;

    INSERT INTO reservations (product_id, location_id, qty, reference, hold_id, expires_at, created_by, owner_key_id)
    SELECT v_product.id, u.l, u.q, v_reqs->(u.h - 1)->>'reference', v_hold[u.h],
      date_trunc('milliseconds', v_at) + make_interval(secs => (v_reqs->(u.h - 1)->>'ttl')::int),
      v_reqs->(u.h - 1)->>'label', (v_reqs->(u.h - 1)->>'owner')::uuid
    FROM unnest(v_pl, v_pq, v_ph) WITH ORDINALITY AS u(l, q, h, o) ORDER BY u.o;

    -- Every granted request's answer, its places named, from one read of the places.
    FOR v_granted IN
      SELECT u.h, json_agg(json_build_object('warehouse', w.code, 'location', l.code, 'qty', u.q) ORDER BY u.o) AS allocations
      FROM unnest(v_pl, v_pq, v_ph) WITH ORDINALITY AS u(loc, q, h, o)
      JOIN locations l ON l.id = u.loc JOIN warehouses w ON w.id = l.warehouse_id
      GROUP BY u.h
    LOOP
      v_req := v_reqs->(v_granted.h - 1);
      v_actor := coalesce(v_actor, v_req->>'actor');
      v_answers[v_granted.h] := json_build_object('ok', true, 'value', json_build_object(
        'id', v_hold[v_granted.h],
        'sku', v_product.sku,
        'qty', (v_req->>'qty')::int,
        'expiresAt', to_char((date_trunc('milliseconds', v_at) + make_interval(secs => (v_req->>'ttl')::int)) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'reference', v_req->>'reference',
        'allocations', v_granted.allocations));
    END LOOP;
    IF v_actor IS NOT NULL THEN
      PERFORM onhand_judge_alerts((SELECT jsonb_agg(jsonb_build_object('p', v_product.id, 'l', u.l)) FROM unnest(v_pl) AS u(l)), v_actor, (p->>'at')::timestamptz);
    END IF;
  END IF;

  FOR i IN 1..v_n LOOP
    IF v_live[i] AND v_answers[i] IS NULL THEN v_answers[i] := v_refusal; END IF;
    IF v_dup[i] > 0 THEN
      IF v_reqs->(i - 1)->>'hash' = v_reqs->(v_dup[i] - 1)->>'hash' THEN
        v_answers[i] := v_answers[v_dup[i]];
        v_replayed[i] := v_replayed[v_dup[i]] OR v_live[v_dup[i]];
      ELSE
        v_answers[i] := json_build_object('ok', false, 'error', json_build_object('type', 'idempotency_mismatch',
          'message', 'This Idempotency-Key was already used with a different request. Use a new key for a new request.', 'details', json_build_object()));
      END IF;
    END IF;
  END LOOP;
  RETURN onhand_answers(v_reqs, v_answers, v_replayed, v_store, p->'statuses');
END $$;
--> statement-breakpoint
-- Releases a cart hold in one call: its rows locked in id order (concurrent releases, orders and the sweeper take
-- them one at a time), refused as unknown to another API key, refused when it holds stock for an order. A hold no
-- longer active answers its final state and writes nothing, like an HTTP DELETE; any released part says released.
-- p: {id, actor, label, apiKey (the calling key's id, or null for staff and connectors), command, at, statuses,
-- scope, key, hash}. Answers [{replayed, answer}] like onhand_hold.
CREATE FUNCTION onhand_release(p jsonb) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
  v_claim json;
  v_answer json;
  v_keyed boolean := p->>'key' IS NOT NULL;
  v_first record;
  v_active uuid[];
  v_any_released boolean;
BEGIN
  IF v_keyed THEN
    v_claim := onhand_claim_key(p->>'scope', p->>'key', p->>'hash');
    IF v_claim IS NOT NULL THEN
      RETURN json_build_array(json_build_object('replayed', NOT (v_claim->>'mismatch')::boolean, 'answer', v_claim->'answer'));
    END IF;
  END IF;
  PERFORM 1 FROM reservations r WHERE r.hold_id = (p->>'id')::uuid ORDER BY r.id FOR UPDATE;
  SELECT r.order_line_id, r.owner_key_id, r.reference, pr.sku INTO v_first
  FROM reservations r JOIN products pr ON pr.id = r.product_id WHERE r.hold_id = (p->>'id')::uuid ORDER BY r.id LIMIT 1;
  IF FOUND AND p->>'apiKey' IS NOT NULL AND v_first.owner_key_id IS DISTINCT FROM (p->>'apiKey')::uuid THEN
    v_first := NULL;
  END IF;
  IF v_first IS NULL THEN
    v_answer := json_build_object('ok', false, 'error', json_build_object('type', 'not_found',
      'message', 'No reservation matches ' || to_json(p->>'id')::text || '.', 'details', json_build_object('reservation', p->>'id')));
  ELSIF v_first.order_line_id IS NOT NULL THEN
    v_answer := json_build_object('ok', false, 'error', json_build_object('type', 'invalid_state',
      'message', format('Reservation %s holds stock for an order; cancel the order to release it.', p->>'id'),
      'details', json_build_object('reservation', p->>'id')));
  ELSE
    SELECT array_agg(r.id ORDER BY r.id) FILTER (WHERE r.status = 'active'), bool_or(r.status = 'released') INTO v_active, v_any_released
    FROM reservations r WHERE r.hold_id = (p->>'id')::uuid;
    IF v_active IS NOT NULL THEN
      PERFORM onhand_judge_alerts(
        (SELECT jsonb_agg(jsonb_build_object('p', c.product_id, 'w', c.warehouse_id))
         FROM onhand_close_holds(v_active, 'released', 'released', p->>'actor', (p->>'command')::uuid, (p->>'at')::timestamptz) c),
        p->>'actor', (p->>'at')::timestamptz);
    END IF;
    v_answer := json_build_object('ok', true, 'value', (
      SELECT json_build_object(
        'id', p->>'id',
        'sku', v_first.sku,
        'qty', sum(r.qty)::int,
        'status', CASE WHEN v_active IS NOT NULL OR v_any_released THEN 'released' ELSE 'expired' END,
        'reference', v_first.reference,
        'allocations', json_agg(json_build_object('warehouse', w.code, 'location', l.code, 'qty', r.qty) ORDER BY r.id))
      FROM reservations r JOIN locations l ON l.id = r.location_id JOIN warehouses w ON w.id = l.warehouse_id
      WHERE r.hold_id = (p->>'id')::uuid));
  END IF;
  RETURN onhand_answers(jsonb_build_array(p), ARRAY[v_answer], ARRAY[false], ARRAY[v_keyed], p->'statuses');
END $$;
