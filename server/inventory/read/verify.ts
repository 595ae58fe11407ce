// The consistency checks behind `npm run verify`: invariants 1-3 plus the reservation bookkeeping, read from one
// snapshot so a busy system cannot show drift that is only a race between two queries.
import { sql, type SQL } from 'drizzle-orm';
import type { Db, Executor } from '@/db/client';

export type Issue = Record<string, string | number | boolean | null>;
export type CheckResult = { name: string; description: string; issues: Issue[] };
export type VerifyReport = {
  ok: boolean;
  checks: CheckResult[];
  counts: { levels: number; movements: number; activeReservations: number; orders: number };
};
// Tests scope the checks to their own products; the CLI checks everything.
export type Scope = { productIds?: number[] };

const rows = async (db: Executor, q: SQL) => (await db.execute(q)) as unknown as Issue[];
const inScope = (col: SQL, s: Scope) => (s.productIds?.length ? sql`${col} IN ${s.productIds}` : sql`true`);
const place = sql`JOIN products p ON p.id = x.product_id JOIN locations loc ON loc.id = x.location_id
  JOIN warehouses w ON w.id = loc.warehouse_id`;

// Invariant 2, both directions: every level equals the sum of its ledger, and every ledger has its level.
export const ledgerDrift = (db: Executor, s: Scope = {}) =>
  rows(db, sql`
    SELECT p.sku, w.code AS warehouse, loc.code AS location, x.on_hand, x.ledger_on_hand, x.reserved, x.ledger_reserved
    FROM (SELECT coalesce(l.product_id, m.product_id) AS product_id, coalesce(l.location_id, m.location_id) AS location_id,
                 l.on_hand, coalesce(m.on_hand_sum, 0)::int AS ledger_on_hand, l.reserved, coalesce(m.reserved_sum, 0)::int AS ledger_reserved
          FROM (SELECT * FROM stock_levels WHERE ${inScope(sql`product_id`, s)}) l
          FULL JOIN (SELECT product_id, location_id, sum(on_hand_delta) AS on_hand_sum, sum(reserved_delta) AS reserved_sum
                     FROM stock_movements WHERE ${inScope(sql`product_id`, s)} GROUP BY product_id, location_id) m
            ON m.product_id = l.product_id AND m.location_id = l.location_id) x
    ${place}
    WHERE x.on_hand IS DISTINCT FROM x.ledger_on_hand OR x.reserved IS DISTINCT FROM x.ledger_reserved
    ORDER BY p.sku, w.code, loc.code`);

// Invariant 1 as data (the CHECK constraints themselves are checked in ledgerGuards).
export const levelViolations = (db: Executor, s: Scope = {}) =>
  rows(db, sql`
    SELECT p.sku, w.code AS warehouse, loc.code AS location, x.on_hand, x.reserved
    FROM stock_levels x ${place}
    WHERE ${inScope(sql`x.product_id`, s)} AND (x.on_hand < 0 OR x.reserved < 0 OR x.reserved > x.on_hand)
    ORDER BY p.sku, w.code, loc.code`);

// Every reserved unit has an active reservation row and the reverse. Staged (picked, not shipped) units are held by
// their order line's reservation in the shipping location, so shipping locations follow the same rule.
export const reservationDrift = (db: Executor, s: Scope = {}) =>
  rows(db, sql`
    SELECT p.sku, w.code AS warehouse, loc.code AS location, x.reserved, x.held_by_reservations
    FROM (SELECT coalesce(l.product_id, r.product_id) AS product_id, coalesce(l.location_id, r.location_id) AS location_id,
                 coalesce(l.reserved, 0) AS reserved, coalesce(r.held, 0)::int AS held_by_reservations
          FROM (SELECT * FROM stock_levels WHERE ${inScope(sql`product_id`, s)}) l
          FULL JOIN (SELECT product_id, location_id, sum(qty) AS held FROM reservations
                     WHERE status = 'active' AND ${inScope(sql`product_id`, s)} GROUP BY product_id, location_id) r
            ON r.product_id = l.product_id AND r.location_id = l.location_id) x
    ${place}
    WHERE x.reserved <> x.held_by_reservations
    ORDER BY p.sku, w.code, loc.code`);

// Per order line: staged holds equal what was picked (until it ships), other holds equal what is still to pick,
// and a shipped or cancelled order holds nothing.
export const orderHoldDrift = (db: Executor, s: Scope = {}) =>
  rows(db, sql`
    SELECT * FROM (
      SELECT o.channel, o.reference, o.status::text AS status, ol.line_no, p.sku, ol.qty, ol.picked_qty, ol.short_qty,
             coalesce(sum(r.qty) FILTER (WHERE loc.kind = 'shipping'), 0)::int AS staged_held,
             coalesce(sum(r.qty) FILTER (WHERE loc.kind <> 'shipping'), 0)::int AS to_pick_held
      FROM order_lines ol
      JOIN orders o ON o.id = ol.order_id
      JOIN products p ON p.id = ol.product_id
      LEFT JOIN reservations r ON r.order_line_id = ol.id AND r.status = 'active'
      LEFT JOIN locations loc ON loc.id = r.location_id
      WHERE o.status <> 'open' AND ${inScope(sql`ol.product_id`, s)}
      GROUP BY o.id, ol.id, p.sku) x
    WHERE CASE WHEN status IN ('shipped', 'cancelled') THEN staged_held + to_pick_held <> 0
               ELSE staged_held <> picked_qty OR to_pick_held <> qty - picked_qty - short_qty END
    ORDER BY channel, reference, line_no`);

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
  { name: 'guards', description: 'append-only ledger triggers and level CHECK constraints (invariants 1, 3)', run: (db) => ledgerGuards(db) },
];

export async function verifyInventory(db: Db, scope: Scope = {}): Promise<VerifyReport> {
  return db.transaction(
    async (tx) => {
      const checks: CheckResult[] = [];
      for (const c of CHECKS) checks.push({ name: c.name, description: c.description, issues: await c.run(tx, scope) });
      const [counts] = await rows(tx, sql`
        SELECT (SELECT count(*) FROM stock_levels WHERE ${inScope(sql`product_id`, scope)})::int AS levels,
               (SELECT count(*) FROM stock_movements WHERE ${inScope(sql`product_id`, scope)})::int AS movements,
               (SELECT count(*) FROM reservations WHERE status = 'active' AND ${inScope(sql`product_id`, scope)})::int AS active_reservations,
               (SELECT count(DISTINCT order_id) FROM order_lines WHERE ${inScope(sql`product_id`, scope)})::int AS orders`);
      return {
        ok: checks.every((c) => c.issues.length === 0),
        checks,
        counts: {
          levels: Number(counts.levels),
          movements: Number(counts.movements),
          activeReservations: Number(counts.active_reservations),
          orders: Number(counts.orders),
        },
      };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}
