// The consistency checks behind `npm run verify`: invariants 1-3 plus the reservation bookkeeping, read from one
// snapshot so a busy system cannot show drift that is only a race between two queries.
import '#server-only';
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { Db, Executor } from '@/db/client';
import { locations, orderLines, orders, pickHistory, productStock, products, reservations, stockLevels, stockMovements, warehouseStock, warehouses } from '@/db/schema';
import { availableSql } from '../kernel/availability-rule';
import { l, m, p, s, w } from './aliases';

export type Issue = Record<string, string | number | boolean | null>;
export type CheckResult = { name: string; description: string; issues: Issue[] };
export type VerifyReport = {
  ok: boolean;
  checks: CheckResult[];
  counts: { levels: number; movements: number; activeReservations: number; orders: number };
};
// Tests scope the checks to their own products; the CLI checks everything.
export type Scope = { productIds?: number[] };

const rows = (db: Executor, q: SQL) => db.execute<Issue>(q);
const inScope = (productId: SQLWrapper, s: Scope) => (s.productIds?.length ? sql`${productId} IN ${s.productIds}` : sql`true`);
// Names a level for a person reading the report: its SKU, warehouse and bin.
const placeNames = sql`${p.sku} AS sku, ${w.code} AS warehouse, ${l.code} AS location`;
const place = (productId: SQLWrapper, locationId: SQLWrapper) => sql`JOIN ${products} ${p} ON ${p.id} = ${productId}
  JOIN ${locations} ${l} ON ${l.id} = ${locationId} JOIN ${warehouses} ${w} ON ${w.id} = ${l.warehouseId}`;
const byPlace = sql`ORDER BY ${p.sku}, ${w.code}, ${l.code}`;
// The levels in scope, as a derived table of the table's own columns (SELECT *), which the alias s names.
const levelsIn = (sc: Scope) => sql`(SELECT * FROM ${stockLevels} WHERE ${inScope(stockLevels.productId, sc)}) ${s}`;

// Invariant 2, both directions: every level equals the sum of its ledger, and every ledger has its level.
export const ledgerDrift = (db: Executor, sc: Scope = {}) =>
  rows(db, sql`
    SELECT ${placeNames}, x.on_hand, x.ledger_on_hand, x.reserved, x.ledger_reserved
    FROM (SELECT coalesce(${s.productId}, mv.product_id) AS product_id, coalesce(${s.locationId}, mv.location_id) AS location_id,
                 ${s.onHand} AS on_hand, coalesce(mv.on_hand_sum, 0)::int AS ledger_on_hand,
                 ${s.reserved} AS reserved, coalesce(mv.reserved_sum, 0)::int AS ledger_reserved
          FROM ${levelsIn(sc)}
          FULL JOIN (SELECT ${m.productId} AS product_id, ${m.locationId} AS location_id,
                            sum(${m.onHandDelta}) AS on_hand_sum, sum(${m.reservedDelta}) AS reserved_sum
                     FROM ${stockMovements} ${m} WHERE ${inScope(m.productId, sc)} GROUP BY ${m.productId}, ${m.locationId}) mv
            ON mv.product_id = ${s.productId} AND mv.location_id = ${s.locationId}) x
    ${place(sql`x.product_id`, sql`x.location_id`)}
    WHERE x.on_hand IS DISTINCT FROM x.ledger_on_hand OR x.reserved IS DISTINCT FROM x.ledger_reserved
    ${byPlace}`);

// Invariant 1 as data (the CHECK constraints themselves are checked in ledgerGuards).
export const levelViolations = (db: Executor, sc: Scope = {}) =>
  rows(db, sql`
    SELECT ${placeNames}, ${s.onHand} AS on_hand, ${s.reserved} AS reserved
    FROM ${stockLevels} ${s} ${place(s.productId, s.locationId)}
    WHERE ${inScope(s.productId, sc)} AND (${s.onHand} < 0 OR ${s.reserved} < 0 OR ${s.reserved} > ${s.onHand})
    ${byPlace}`);

// Every reserved unit has an active reservation row and the reverse. Staged (picked, not shipped) units are held by
// their order line's reservation in the shipping location, so shipping locations follow the same rule.
export const reservationDrift = (db: Executor, sc: Scope = {}) =>
  rows(db, sql`
    SELECT ${placeNames}, x.reserved, x.held_by_reservations
    FROM (SELECT coalesce(${s.productId}, r.product_id) AS product_id, coalesce(${s.locationId}, r.location_id) AS location_id,
                 coalesce(${s.reserved}, 0) AS reserved, coalesce(r.held, 0)::int AS held_by_reservations
          FROM ${levelsIn(sc)}
          FULL JOIN (SELECT ${reservations.productId} AS product_id, ${reservations.locationId} AS location_id, sum(${reservations.qty}) AS held
                     FROM ${reservations}
                     WHERE ${reservations.status} = 'active' AND ${inScope(reservations.productId, sc)}
                     GROUP BY ${reservations.productId}, ${reservations.locationId}) r
            ON r.product_id = ${s.productId} AND r.location_id = ${s.locationId}) x
    ${place(sql`x.product_id`, sql`x.location_id`)}
    WHERE x.reserved <> x.held_by_reservations
    ${byPlace}`);

// Per order line: staged holds equal what was picked (until it ships), other holds equal what is still to pick,
// and a shipped or cancelled order holds nothing.
export const orderHoldDrift = (db: Executor, sc: Scope = {}) =>
  rows(db, sql`
    SELECT * FROM (
      SELECT ${orders.channel} AS channel, ${orders.reference} AS reference, ${orders.status}::text AS status, ${orderLines.lineNo} AS line_no,
             ${p.sku} AS sku, ${orderLines.qty} AS qty, ${orderLines.pickedQty} AS picked_qty, ${orderLines.shortQty} AS short_qty,
             coalesce(sum(${reservations.qty}) FILTER (WHERE ${l.kind} = 'shipping'), 0)::int AS staged_held,
             coalesce(sum(${reservations.qty}) FILTER (WHERE ${l.kind} <> 'shipping'), 0)::int AS to_pick_held
      FROM ${orderLines}
      JOIN ${orders} ON ${orders.id} = ${orderLines.orderId}
      JOIN ${products} ${p} ON ${p.id} = ${orderLines.productId}
      LEFT JOIN ${reservations} ON ${reservations.orderLineId} = ${orderLines.id} AND ${reservations.status} = 'active'
      LEFT JOIN ${locations} ${l} ON ${l.id} = ${reservations.locationId}
      WHERE ${orders.status} <> 'open' AND ${inScope(orderLines.productId, sc)}
      GROUP BY ${orders.id}, ${orderLines.id}, ${p.sku}) x
    WHERE CASE WHEN status IN ('shipped', 'cancelled') THEN staged_held + to_pick_held <> 0
               ELSE staged_held <> picked_qty OR to_pick_held <> qty - picked_qty - short_qty END
    ORDER BY channel, reference, line_no`);

// The per-product totals the database keeps beside the levels (product_stock, migration 0018) equal the levels' sums;
// every product has its row.
export const totalsDrift = (db: Executor, sc: Scope = {}) =>
  rows(db, sql`
    SELECT ${p.sku} AS sku, t.on_hand AS kept_on_hand, coalesce(x.on_hand, 0) AS on_hand, t.reserved AS kept_reserved,
           coalesce(x.reserved, 0) AS reserved, t.available AS kept_available, coalesce(x.available, 0) AS available
    FROM ${products} ${p}
    LEFT JOIN ${productStock} t ON t.product_id = ${p.id}
    LEFT JOIN (SELECT ${s.productId} AS product_id, sum(${s.onHand})::int AS on_hand, sum(${s.reserved})::int AS reserved,
                      ${availableSql({ levels: s, loc: l })} AS available
               FROM ${levelsIn(sc)} JOIN ${locations} ${l} ON ${l.id} = ${s.locationId}
               GROUP BY ${s.productId}) x ON x.product_id = ${p.id}
    WHERE ${inScope(p.id, sc)} AND (t.product_id IS NULL OR t.on_hand <> coalesce(x.on_hand, 0)
      OR t.reserved <> coalesce(x.reserved, 0) OR t.available <> coalesce(x.available, 0))
    ORDER BY ${p.sku}`);

// Available per product and warehouse (warehouse_stock) equals its levels' sum; every pair with a level has its row.
export const warehouseTotalsDrift = (db: Executor, sc: Scope = {}) =>
  rows(db, sql`
    SELECT ${p.sku} AS sku, ${w.code} AS warehouse, t.available AS kept_available, coalesce(x.available, 0) AS available
    FROM (SELECT * FROM ${warehouseStock} WHERE ${inScope(warehouseStock.productId, sc)}) t
    FULL JOIN (SELECT ${s.productId} AS product_id, ${l.warehouseId} AS warehouse_id, ${availableSql({ levels: s, loc: l })} AS available
               FROM ${levelsIn(sc)} JOIN ${locations} ${l} ON ${l.id} = ${s.locationId}
               GROUP BY 1, 2) x ON x.product_id = t.product_id AND x.warehouse_id = t.warehouse_id
    JOIN ${products} ${p} ON ${p.id} = coalesce(t.product_id, x.product_id)
    JOIN ${warehouses} ${w} ON ${w.id} = coalesce(t.warehouse_id, x.warehouse_id)
    WHERE t.available IS DISTINCT FROM x.available AND NOT (x.product_id IS NULL AND t.available = 0)
    ORDER BY ${p.sku}, ${w.code}`);

// The picks the database keeps per product, warehouse and day (pick_history, migration 0018) equal the ledger's picks:
// the same first day and the same running totals, rebuilt here from the ledger.
export const pickHistoryDrift = (db: Executor, sc: Scope = {}) =>
  rows(db, sql`
    WITH d AS (
      SELECT ${m.productId} AS product_id, ${l.warehouseId} AS warehouse_id, (${m.createdAt} AT TIME ZONE 'UTC')::date AS day,
             sum(-${m.onHandDelta}) AS q
      FROM ${stockMovements} ${m} JOIN ${locations} ${l} ON ${l.id} = ${m.locationId}
      WHERE ${m.kind} = 'pick' AND ${inScope(m.productId, sc)}
      GROUP BY 1, 2, 3),
    span AS (SELECT product_id, warehouse_id, min(day) AS lo, max(day) AS hi FROM d GROUP BY 1, 2),
    ledger AS (
      SELECT product_id, warehouse_id, min(lo) AS first_day, array_agg(run ORDER BY i) AS cum
      FROM (SELECT span.product_id, span.warehouse_id, span.lo, i,
                   sum(coalesce(d.q, 0)) OVER (PARTITION BY span.product_id, span.warehouse_id ORDER BY i)::int AS run
            FROM span CROSS JOIN LATERAL generate_series(0, span.hi - span.lo) i
            LEFT JOIN d ON d.product_id = span.product_id AND d.warehouse_id = span.warehouse_id AND d.day = span.lo + i) y
      GROUP BY 1, 2)
    SELECT ${p.sku} AS sku, ${w.code} AS warehouse, h.first_day::text AS kept_first_day, ledger.first_day::text AS first_day,
           pick_cum_at(h.first_day, h.cum, h.last_day) AS kept_picked, pick_cum_at(ledger.first_day, ledger.cum, ledger.first_day + cardinality(ledger.cum) - 1) AS picked
    FROM ledger
    FULL JOIN (SELECT * FROM ${pickHistory} WHERE ${inScope(pickHistory.productId, sc)}) h
      ON h.product_id = ledger.product_id AND h.warehouse_id = ledger.warehouse_id
    JOIN ${products} ${p} ON ${p.id} = coalesce(ledger.product_id, h.product_id)
    JOIN ${warehouses} ${w} ON ${w.id} = coalesce(ledger.warehouse_id, h.warehouse_id)
    WHERE h.first_day IS DISTINCT FROM ledger.first_day OR h.cum IS DISTINCT FROM ledger.cum
    ORDER BY ${p.sku}, ${w.code}`);

const REQUIRED_CHECKS = ['stock_levels_on_hand_nonneg', 'stock_levels_reserved_nonneg', 'stock_levels_reserved_le_on_hand'];

// Invariant 3 (an enabled BEFORE trigger refusing UPDATE, DELETE and TRUNCATE on the ledger) and invariant 1's
// CHECK constraints, present and validated.
export const ledgerGuards = (db: Executor) =>
  rows(db, sql`
    SELECT v.guard, 'missing or disabled' AS problem
    FROM (VALUES ('UPDATE on stock_movements', 16), ('DELETE on stock_movements', 8), ('TRUNCATE on stock_movements', 32)) v(guard, bit)
    WHERE NOT EXISTS (
      SELECT 1 FROM pg_trigger t JOIN pg_proc f ON f.oid = t.tgfoid
      WHERE t.tgrelid = to_regclass('stock_movements') AND NOT t.tgisinternal AND t.tgenabled IN ('O', 'A')
        AND f.proname = 'stock_movements_append_only' AND (t.tgtype & 2) <> 0 AND (t.tgtype & v.bit) <> 0)
    UNION ALL
    SELECT 'CHECK ' || c.name, CASE WHEN k.oid IS NULL THEN 'missing' ELSE 'not validated' END
    FROM unnest(${sql.raw(`ARRAY[${REQUIRED_CHECKS.map((n) => `'${n}'`).join(', ')}]`)}::text[]) c(name)
    LEFT JOIN pg_constraint k ON k.conname = c.name AND k.conrelid = to_regclass('stock_levels') AND k.contype = 'c'
    WHERE k.oid IS NULL OR NOT k.convalidated`);

const CHECKS: { name: string; description: string; run: (db: Executor, s: Scope) => Promise<Issue[]> }[] = [
  { name: 'ledger', description: 'Σ ledger deltas = stock level (invariant 2)', run: ledgerDrift },
  { name: 'levels', description: 'on_hand >= 0, reserved >= 0, reserved <= on_hand (invariant 1)', run: levelViolations },
  { name: 'reservations', description: 'active reservations = reserved, per level', run: reservationDrift },
  { name: 'orders', description: 'order line holds = picked (staged) and still to pick', run: orderHoldDrift },
  { name: 'totals', description: 'per-product totals (product_stock) = Σ levels', run: totalsDrift },
  { name: 'warehouse totals', description: 'available per product and warehouse (warehouse_stock) = Σ levels', run: warehouseTotalsDrift },
  { name: 'picks', description: 'per-day pick history (pick_history) = the ledger\'s picks', run: pickHistoryDrift },
  { name: 'guards', description: 'append-only ledger triggers and level CHECK constraints (invariants 1, 3)', run: (db) => ledgerGuards(db) },
];

export async function verifyInventory(db: Db, scope: Scope = {}): Promise<VerifyReport> {
  return db.transaction(
    async (tx) => {
      const checks: CheckResult[] = [];
      for (const c of CHECKS) checks.push({ name: c.name, description: c.description, issues: await c.run(tx, scope) });
      const [counts] = await tx.execute<{ levels: number; movements: number; active_reservations: number; orders: number }>(sql`
        SELECT (SELECT count(*) FROM ${stockLevels} WHERE ${inScope(stockLevels.productId, scope)})::int AS levels,
               (SELECT count(*) FROM ${stockMovements} WHERE ${inScope(stockMovements.productId, scope)})::int AS movements,
               (SELECT count(*) FROM ${reservations} WHERE ${reservations.status} = 'active' AND ${inScope(reservations.productId, scope)})::int
                 AS active_reservations,
               (SELECT count(DISTINCT ${orderLines.orderId}) FROM ${orderLines} WHERE ${inScope(orderLines.productId, scope)})::int AS orders`);
      return {
        ok: checks.every((c) => c.issues.length === 0),
        checks,
        counts: { levels: counts.levels, movements: counts.movements, activeReservations: counts.active_reservations, orders: counts.orders },
      };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}
