-- Figures the big lists sort and filter by, kept by the database in the same statement as the rows they sum, so
-- they cannot drift from them (and `npm run verify` checks that they have not):
--   product_stock  per product: on hand, reserved and available summed over every location (the stock list's sort);
--   warehouse_stock per product and warehouse: available (the alert review's figure per pair);
--   pick_history   per product and warehouse: the units picked through each UTC day, as running totals, so the picks
--                  of any run of whole days are two array reads (the alert review's velocity and sort key).
-- Lock order: a command locks a product's product_stock row before any of its levels (kernel/levels.ts,
-- kernel/allocation.ts), so a level's trigger finds that row already held, and warehouse_stock and pick_history rows are written under it.
CREATE TABLE "product_stock" (
  "product_id" integer PRIMARY KEY REFERENCES "products"("id") ON DELETE CASCADE,
  "on_hand" integer NOT NULL DEFAULT 0,
  "reserved" integer NOT NULL DEFAULT 0,
  "available" integer NOT NULL DEFAULT 0
);
--> statement-breakpoint
CREATE INDEX "product_stock_available_idx" ON "product_stock" USING btree ("available", "product_id");
--> statement-breakpoint
-- Available per product and warehouse (the alert review's figure per pair), for every pair that has had a level.
CREATE TABLE "warehouse_stock" (
  "product_id" integer NOT NULL REFERENCES "products"("id") ON DELETE CASCADE,
  "warehouse_id" integer NOT NULL REFERENCES "warehouses"("id"),
  "available" integer NOT NULL DEFAULT 0,
  PRIMARY KEY ("product_id", "warehouse_id")
);
--> statement-breakpoint
-- Every product has its row from the start: the row a command locks first must exist before any level does.
CREATE FUNCTION product_stock_for_new_products() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO product_stock (product_id) SELECT id FROM added ON CONFLICT DO NOTHING;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER products_stock_row AFTER INSERT ON products REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION product_stock_for_new_products();
--> statement-breakpoint
-- Adds the changed levels' (after - before) to their products. Available counts sellable pick and storage bins only
-- (kernel/availability-rule.ts). Per statement, from its transition tables: a bulk load is one aggregate.
CREATE FUNCTION product_stock_add(d_product int[], d_location int[], d_on int[], d_res int[]) RETURNS void
LANGUAGE sql AS $$
  UPDATE product_stock ps
  SET on_hand = ps.on_hand + x.d_on, reserved = ps.reserved + x.d_res, available = ps.available + x.d_av
  FROM (SELECT d.product_id, sum(d.d_on)::int AS d_on, sum(d.d_res)::int AS d_res,
               coalesce(sum(d.d_on - d.d_res) FILTER (WHERE l.sellable AND l.kind IN ('pick', 'storage')), 0)::int AS d_av
        FROM unnest(d_product, d_location, d_on, d_res) AS d(product_id, location_id, d_on, d_res)
        JOIN locations l ON l.id = d.location_id
        GROUP BY d.product_id) x
  WHERE ps.product_id = x.product_id AND (x.d_on <> 0 OR x.d_res <> 0 OR x.d_av <> 0);
  INSERT INTO warehouse_stock AS ws (product_id, warehouse_id, available)
  SELECT d.product_id, l.warehouse_id, coalesce(sum(d.d_on - d.d_res) FILTER (WHERE l.sellable AND l.kind IN ('pick', 'storage')), 0)::int
  FROM unnest(d_product, d_location, d_on, d_res) AS d(product_id, location_id, d_on, d_res)
  JOIN locations l ON l.id = d.location_id
  GROUP BY 1, 2
  ORDER BY 1, 2
  ON CONFLICT (product_id, warehouse_id) DO UPDATE SET available = ws.available + EXCLUDED.available
    WHERE EXCLUDED.available <> 0;
$$;
--> statement-breakpoint
CREATE FUNCTION product_stock_follow_levels() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  p int[]; l int[]; o int[]; r int[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(product_id), array_agg(location_id), array_agg(on_hand), array_agg(reserved) INTO p, l, o, r FROM new_rows;
  ELSIF TG_OP = 'UPDATE' THEN
    SELECT array_agg(product_id), array_agg(location_id), array_agg(d_on), array_agg(d_res) INTO p, l, o, r
    FROM (SELECT product_id, location_id, on_hand AS d_on, reserved AS d_res FROM new_rows
          UNION ALL SELECT product_id, location_id, -on_hand, -reserved FROM old_rows) x;
  ELSE
    SELECT array_agg(product_id), array_agg(location_id), array_agg(-on_hand), array_agg(-reserved) INTO p, l, o, r FROM old_rows;
  END IF;
  IF p IS NOT NULL THEN PERFORM product_stock_add(p, l, o, r); END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER stock_levels_totals_insert AFTER INSERT ON stock_levels REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION product_stock_follow_levels();
--> statement-breakpoint
CREATE TRIGGER stock_levels_totals_update AFTER UPDATE ON stock_levels REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION product_stock_follow_levels();
--> statement-breakpoint
CREATE TRIGGER stock_levels_totals_delete AFTER DELETE ON stock_levels REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION product_stock_follow_levels();
--> statement-breakpoint
-- A bin whose kind or sellable flag changes moves its stock into or out of available. Its products' rows are locked
-- in product order first; the amounts are then read by a later statement, which sees every change committed while
-- it waited (a level change holds its product's row until it commits).
CREATE FUNCTION product_stock_follow_bins() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  was boolean := OLD.sellable AND OLD.kind IN ('pick', 'storage');
  now_ boolean := NEW.sellable AND NEW.kind IN ('pick', 'storage');
BEGIN
  IF was = now_ THEN RETURN NULL; END IF;
  PERFORM 1 FROM product_stock WHERE product_id IN (SELECT product_id FROM stock_levels WHERE location_id = NEW.id)
    ORDER BY product_id FOR NO KEY UPDATE;
  UPDATE product_stock ps SET available = ps.available + (CASE WHEN now_ THEN 1 ELSE -1 END) * (s.on_hand - s.reserved)
  FROM stock_levels s WHERE s.location_id = NEW.id AND ps.product_id = s.product_id AND s.on_hand <> s.reserved;
  UPDATE warehouse_stock ws SET available = ws.available + (CASE WHEN now_ THEN 1 ELSE -1 END) * (s.on_hand - s.reserved)
  FROM stock_levels s WHERE s.location_id = NEW.id AND ws.product_id = s.product_id AND ws.warehouse_id = NEW.warehouse_id
    AND s.on_hand <> s.reserved;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER locations_stock_totals AFTER UPDATE OF kind, sellable ON locations
  FOR EACH ROW EXECUTE FUNCTION product_stock_follow_bins();
--> statement-breakpoint
-- Running totals: cum[i] is every unit picked from first_day up to and including first_day + i - 1 (UTC days). Before
-- first_day nothing was picked, and after the last day the total stays (pick_cum_at). last_day is indexed: a window
-- reads only the pairs picked since it began.
CREATE TABLE "pick_history" (
  "product_id" integer NOT NULL REFERENCES "products"("id") ON DELETE CASCADE,
  "warehouse_id" integer NOT NULL REFERENCES "warehouses"("id"),
  "first_day" date NOT NULL,
  "cum" integer[] NOT NULL,
  "last_day" date GENERATED ALWAYS AS ("first_day" + cardinality("cum") - 1) STORED,
  PRIMARY KEY ("product_id", "warehouse_id")
);
--> statement-breakpoint
CREATE INDEX "pick_history_last_day_idx" ON "pick_history" USING btree ("last_day");
--> statement-breakpoint
-- Units picked from first_day through day x (inclusive).
CREATE FUNCTION pick_cum_at(first_day date, cum integer[], x date) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN x < first_day THEN 0 ELSE cum[least(x - first_day, cardinality(cum) - 1) + 1] END
$$;
--> statement-breakpoint
-- Two histories added day by day, from the earlier first day to the later last day.
CREATE FUNCTION pick_cum_add(af date, a integer[], bf date, b integer[]) RETURNS integer[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT array_agg(pick_cum_at(af, a, least(af, bf) + i) + pick_cum_at(bf, b, least(af, bf) + i) ORDER BY i)
  FROM generate_series(0, greatest(af + cardinality(a) - 1, bf + cardinality(b) - 1) - least(af, bf)) i
$$;
--> statement-breakpoint
-- A statement's picks as histories of their own (running totals over its days), per product and warehouse.
CREATE FUNCTION pick_history_follow_ledger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO pick_history AS h (product_id, warehouse_id, first_day, cum)
  SELECT product_id, warehouse_id, min(lo), array_agg(run ORDER BY i)
  FROM (SELECT s.product_id, s.warehouse_id, s.lo, i, sum(coalesce(d.q, 0)) OVER (PARTITION BY s.product_id, s.warehouse_id ORDER BY i)::int AS run
        FROM (SELECT product_id, warehouse_id, min(day) AS lo, max(day) AS hi FROM (
                SELECT a.product_id, l.warehouse_id, (a.created_at AT TIME ZONE 'UTC')::date AS day
                FROM added a JOIN locations l ON l.id = a.location_id WHERE a.kind = 'pick') x GROUP BY 1, 2) s
        CROSS JOIN LATERAL generate_series(0, s.hi - s.lo) i
        LEFT JOIN (SELECT a.product_id, l.warehouse_id, (a.created_at AT TIME ZONE 'UTC')::date AS day, sum(-a.on_hand_delta) AS q
                   FROM added a JOIN locations l ON l.id = a.location_id WHERE a.kind = 'pick' GROUP BY 1, 2, 3) d
          ON d.product_id = s.product_id AND d.warehouse_id = s.warehouse_id AND d.day = s.lo + i) y
  GROUP BY product_id, warehouse_id
  ORDER BY product_id, warehouse_id
  ON CONFLICT (product_id, warehouse_id) DO UPDATE
    SET first_day = least(h.first_day, EXCLUDED.first_day), cum = pick_cum_add(h.first_day, h.cum, EXCLUDED.first_day, EXCLUDED.cum);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER stock_movements_pick_history AFTER INSERT ON stock_movements REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION pick_history_follow_ledger();
--> statement-breakpoint
-- Every kept figure rebuilt from the levels and the ledger: the backfill here, and after a restore (db/backup.ts),
-- whose rows are loaded with triggers off and may come from a backup older than these tables.
CREATE FUNCTION rebuild_stock_totals() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM product_stock;
  DELETE FROM warehouse_stock;
  DELETE FROM pick_history;
  INSERT INTO product_stock (product_id, on_hand, reserved, available)
  SELECT p.id, coalesce(sum(s.on_hand), 0)::int, coalesce(sum(s.reserved), 0)::int,
    coalesce(sum(s.on_hand - s.reserved) FILTER (WHERE l.sellable AND l.kind IN ('pick', 'storage')), 0)::int
  FROM products p LEFT JOIN stock_levels s ON s.product_id = p.id LEFT JOIN locations l ON l.id = s.location_id
  GROUP BY p.id;
  INSERT INTO warehouse_stock (product_id, warehouse_id, available)
  SELECT s.product_id, l.warehouse_id, coalesce(sum(s.on_hand - s.reserved) FILTER (WHERE l.sellable AND l.kind IN ('pick', 'storage')), 0)::int
  FROM stock_levels s JOIN locations l ON l.id = s.location_id
  GROUP BY 1, 2;
  INSERT INTO pick_history (product_id, warehouse_id, first_day, cum)
  SELECT product_id, warehouse_id, min(lo), array_agg(run ORDER BY i)
  FROM (SELECT s.product_id, s.warehouse_id, s.lo, i, sum(coalesce(d.q, 0)) OVER (PARTITION BY s.product_id, s.warehouse_id ORDER BY i)::int AS run
        FROM (SELECT product_id, warehouse_id, min(day) AS lo, max(day) AS hi FROM (
                SELECT m.product_id, l.warehouse_id, (m.created_at AT TIME ZONE 'UTC')::date AS day
                FROM stock_movements m JOIN locations l ON l.id = m.location_id WHERE m.kind = 'pick') x GROUP BY 1, 2) s
        CROSS JOIN LATERAL generate_series(0, s.hi - s.lo) i
        LEFT JOIN (SELECT m.product_id, l.warehouse_id, (m.created_at AT TIME ZONE 'UTC')::date AS day, sum(-m.on_hand_delta) AS q
                   FROM stock_movements m JOIN locations l ON l.id = m.location_id WHERE m.kind = 'pick' GROUP BY 1, 2, 3) d
          ON d.product_id = s.product_id AND d.warehouse_id = s.warehouse_id AND d.day = s.lo + i) y
  GROUP BY product_id, warehouse_id;
END;
$$;
--> statement-breakpoint
SELECT rebuild_stock_totals();
