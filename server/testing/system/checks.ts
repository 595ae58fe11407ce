// What the system suite and the soak check after each fault and at the end: the invariants (verifyInventory),
// every live client's figures against the database, and that every request was applied exactly as often as
// its final answer says (once for a success, never for a refusal), however many times it was sent.
import type postgres from 'postgres';
import type { Connection } from '@/db/client';
import { statusOf } from '@/server/inventory/kernel/availability-rule';
import { verifyInventory, type VerifyReport } from '@/server/inventory/read/verify';
import { StaffTab, StorefrontPage, type LiveClient } from './clients';
import type { Op } from './load';
import type { World } from './world';

// The storefront figure per SKU as the product defines it: Σ(on_hand − reserved) over sellable bins, and its status
// against the product's threshold. (A badge is sent a new message only when the figure or status changes, so its
// version may lag the database's while what it shows is right.)
export async function storefrontFigures(sql: postgres.Sql, world: World) {
  const rows = await sql<{ sku: string; available: number; threshold: number }[]>`
    SELECT p.sku, p.low_stock_threshold AS threshold,
           coalesce(sum(s.on_hand - s.reserved) FILTER (WHERE l.sellable), 0)::int AS available
    FROM products p LEFT JOIN stock_levels s ON s.product_id = p.id LEFT JOIN locations l ON l.id = s.location_id
    WHERE p.sku IN ${sql(world.skus)} GROUP BY p.sku, p.low_stock_threshold`;
  return new Map(rows.map((r) => [r.sku, { available: r.available, status: statusOf(r.available, r.threshold) }]));
}

export async function warehouseLevels(sql: postgres.Sql, world: World) {
  const rows = await sql<{ sku: string; code: string; on_hand: number; reserved: number; version: number }[]>`
    SELECT p.sku, l.code, s.on_hand, s.reserved, s.version FROM stock_levels s
    JOIN products p ON p.id = s.product_id JOIN locations l ON l.id = s.location_id
    WHERE l.warehouse_id = ${world.warehouseId} AND p.sku IN ${sql(world.skus)}`;
  return new Map(rows.map((r) => [`${r.sku}|${r.code}`, { onHand: r.on_hand, reserved: r.reserved, version: r.version }]));
}

// Every difference between what each client shows and the database; empty when all agree.
export async function clientMismatches(sql: postgres.Sql, world: World, clients: LiveClient[]): Promise<string[]> {
  const [figures, levels] = await Promise.all([storefrontFigures(sql, world), warehouseLevels(sql, world)]);
  const out: string[] = [];
  for (const c of clients) {
    if (!c.socket.connected) out.push(`${c.name}: not connected`);
    if (c instanceof StorefrontPage) {
      for (const [sku, db] of figures) {
        const shown = c.shown.get(sku);
        if (shown?.available !== db.available || shown.status !== db.status)
          out.push(`${c.name} ${sku}: shows ${shown ? `${shown.available} ${shown.status}` : 'nothing'}, database ${db.available} ${db.status}`);
      }
    } else if (c instanceof StaffTab) {
      for (const [k, db] of levels) {
        const held = c.levels.get(k);
        if (held?.onHand !== db.onHand || held.reserved !== db.reserved || held.version !== db.version)
          out.push(`${c.name} ${k}: shows ${held ? `${held.onHand}/${held.reserved} (v${held.version})` : 'nothing'}, database ${db.onHand}/${db.reserved} (v${db.version})`);
      }
      for (const k of c.levels.keys()) if (!levels.has(k)) out.push(`${c.name} ${k}: shows a level the database does not have`);
    }
  }
  return out;
}

export async function waitForConvergence(sql: postgres.Sql, world: World, clients: LiveClient[], timeoutMs = 30_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const bad = await clientMismatches(sql, world, clients);
    if (bad.length === 0 || Date.now() > deadline) return bad;
    await new Promise((r) => setTimeout(r, 250));
  }
}

export function verify(conn: Connection, world: World): Promise<VerifyReport> {
  return verifyInventory(conn.db, { productIds: world.productIds });
}

export const verifyIssues = (r: VerifyReport) => r.checks.flatMap((c) => c.issues.map((i) => `${c.name}: ${JSON.stringify(i)}`));

// Applied exactly as the final answer says. Each request names itself in the data it writes (a receipt's and a
// hold's reference, an order's reference), so the database can be asked how often each one took effect.
export async function effectMismatches(sql: postgres.Sql, ops: Op[]): Promise<string[]> {
  const out: string[] = [];
  for (const op of ops.filter((o) => o.status === undefined)) out.push(`${op.key}: no definite answer (${op.gaveUp ?? 'still in flight'})`);
  const answered = ops.filter((o) => o.status !== undefined);
  const keysOf = (kind: Op['kind']) => answered.filter((o) => o.kind === kind).map((o) => o.key);
  const count = async (q: (keys: string[]) => Promise<{ key: string; n: number }[]>, kind: Op['kind']) => {
    const keys = keysOf(kind);
    const n = new Map<string, number>();
    for (let i = 0; i < keys.length; i += 5000) for (const r of await q(keys.slice(i, i + 5000))) n.set(r.key, r.n);
    return n;
  };
  const receipts = await count(
    (keys) => sql<{ key: string; n: number }[]>`
      SELECT reference_id AS key, count(*)::int AS n FROM stock_movements
      WHERE kind = 'receipt' AND reference_type = 'reference' AND reference_id IN ${sql(keys)} GROUP BY 1`,
    'receipt',
  );
  const holds = await count(
    (keys) => sql<{ key: string; n: number }[]>`
      SELECT reference AS key, count(DISTINCT hold_id)::int AS n FROM reservations WHERE reference IN ${sql(keys)} GROUP BY 1`,
    'hold',
  );
  const orders = await count(
    (keys) => sql<{ key: string; n: number }[]>`SELECT reference AS key, count(*)::int AS n FROM orders WHERE reference IN ${sql(keys)} GROUP BY 1`,
    'order',
  );
  const effects: Partial<Record<Op['kind'], Map<string, number>>> = { receipt: receipts, hold: holds, order: orders };
  for (const op of answered) {
    const seen = effects[op.kind];
    if (!seen) continue;
    const expected = op.status! < 300 ? 1 : 0;
    const n = seen.get(op.key) ?? 0;
    if (n !== expected) out.push(`${op.key}: answered ${op.status} after ${op.attempts} attempt(s), but took effect ${n} time(s)`);
  }
  // A retried order with its key must get its first answer back, never "reference already used".
  for (const op of answered) if (op.kind === 'order' && op.refusal === 'conflict') out.push(`${op.key}: a retry was answered as a second order (conflict)`);
  // The floor's picks: each order's ledger holds exactly the picks that were answered.
  const picks = answered.filter((o) => o.kind === 'pick' && o.status === 200);
  const perOrder = new Map<string, number>();
  for (const p of picks) perOrder.set(String(p.answer!.orderId), (perOrder.get(String(p.answer!.orderId)) ?? 0) + 1);
  if (perOrder.size) {
    const rows = await sql<{ order_id: string; n: number }[]>`
      SELECT reference_id AS order_id, count(*)::int AS n FROM stock_movements
      WHERE kind = 'pick' AND reference_type = 'order' AND reference_id IN ${sql([...perOrder.keys()])} GROUP BY 1`;
    const ledger = new Map(rows.map((r) => [r.order_id, r.n]));
    for (const [id, n] of perOrder) if (ledger.get(id) !== n) out.push(`order ${id}: ${n} picks answered, ${ledger.get(id) ?? 0} in the ledger`);
  }
  return out;
}
