// A product's ledger for people: newest first, paged by cursor (the last id seen), and the stock over time the
// chart draws. Both walk the ledger's (product_id, id) key, so a page costs the same however long the history.
import '#server-only';
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { orders, stockMovements } from '@/db/schema';
import { l, m, w } from './aliases';
import { productSummary } from './product-detail';
import { toIso } from './stock-list';
import type { HistoryPage, ProductSeries } from '@/lib/contracts/product';

export async function productHistory(db: Executor, sku: string, q: { before?: number; limit?: number } = {}): Promise<HistoryPage> {
  const product = await productSummary(db, sku);
  const limit = Math.min(Math.max(q.limit ?? 25, 1), 100);
  const rows = await db
    .select({
      id: m.id,
      createdAt: m.createdAt,
      kind: m.kind,
      warehouse: w.code,
      location: l.code,
      onHandDelta: m.onHandDelta,
      reservedDelta: m.reservedDelta,
      onHandAfter: m.onHandAfter,
      reservedAfter: m.reservedAfter,
      reasonCode: m.reasonCode,
      referenceType: m.referenceType,
      referenceId: m.referenceId,
      referenceLabel: sql<string | null>`CASE WHEN ${m.referenceType} = 'order' THEN (SELECT ${orders.reference} FROM ${orders} WHERE ${orders.id} = ${m.referenceId}::uuid) END`,
      note: m.note,
      actor: m.actor,
    })
    .from(m)
    .innerJoin(l, eq(l.id, m.locationId))
    .innerJoin(w, eq(w.id, l.warehouseId))
    .where(and(eq(m.productId, product.id), q.before ? lt(m.id, q.before) : undefined))
    .orderBy(desc(m.id))
    .limit(limit + 1);
  const items = rows.slice(0, limit).map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
  return { items, nextCursor: rows.length > limit ? String(items[items.length - 1].id) : null };
}

const MAX_POINTS = 240;

// Total on hand and reserved over all locations after each movement (running sums of the ledger's deltas, which
// equal the levels by invariant 2), thinned to the last point per time bucket.
export async function productSeries(db: Executor, sku: string, q: { days?: number } = {}): Promise<ProductSeries> {
  const product = await productSummary(db, sku);
  const days = Math.min(Math.max(q.days ?? 30, 1), 365);
  const to = new Date();
  const from = new Date(to.getTime() - days * 86_400_000);
  const rows = await db.execute<{ part: 'start' | 'point'; created_at: string | null; on_hand: number; reserved: number }>(sql`
    WITH running AS (
      SELECT ${m.id} AS id, ${m.createdAt} AS created_at,
        sum(${m.onHandDelta}) OVER (ORDER BY ${m.id})::int AS on_hand,
        sum(${m.reservedDelta}) OVER (ORDER BY ${m.id})::int AS reserved
      FROM ${stockMovements} ${m} WHERE ${m.productId} = ${product.id}
    ), start AS (
      SELECT on_hand, reserved FROM running WHERE created_at < ${from.toISOString()} ORDER BY id DESC LIMIT 1
    ), bucketed AS (
      SELECT DISTINCT ON (b) created_at, on_hand, reserved FROM (
        SELECT *, width_bucket(extract(epoch FROM created_at), ${from.getTime() / 1000}, ${to.getTime() / 1000 + 1}, ${MAX_POINTS}) AS b
        FROM running WHERE created_at >= ${from.toISOString()}
      ) x ORDER BY b, id DESC
    )
    SELECT 'start' AS part, NULL::timestamptz AS created_at, on_hand, reserved FROM start
    UNION ALL
    SELECT 'point', created_at, on_hand, reserved FROM bucketed
    ORDER BY part DESC, created_at`);
  const start = rows.find((r) => r.part === 'start');
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    start: { onHand: start?.on_hand ?? 0, reserved: start?.reserved ?? 0 },
    points: rows.filter((r) => r.part === 'point').map((r) => ({ t: toIso(r.created_at)!, onHand: r.on_hand, reserved: r.reserved })),
  };
}
