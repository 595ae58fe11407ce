// A product's ledger for people: newest first, paged by cursor (the last id seen), and the stock over time the
// chart draws. Both walk the ledger's (product_id, id) key, so a page costs the same however long the history.
import { sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { productSummary } from './product-detail';
import { toIso } from './stock-list';
import type { HistoryPage, ProductSeries } from '@/lib/contracts/product';

export async function productHistory(db: Executor, sku: string, q: { before?: number; limit?: number } = {}): Promise<HistoryPage> {
  const product = await productSummary(db, sku);
  const limit = Math.min(Math.max(q.limit ?? 25, 1), 100);
  const before = q.before ? sql`AND m.id < ${q.before}` : sql``;
  const rows = (await db.execute(sql`
    SELECT m.id, m.created_at, m.kind, w.code AS warehouse, l.code AS location, m.on_hand_delta, m.reserved_delta,
      m.on_hand_after, m.reserved_after, m.reason_code, m.reference_type, m.reference_id, m.note, m.actor,
      CASE WHEN m.reference_type = 'order' THEN (SELECT o.reference FROM orders o WHERE o.id = m.reference_id::uuid) END AS reference_label
    FROM stock_movements m
    JOIN locations l ON l.id = m.location_id
    JOIN warehouses w ON w.id = l.warehouse_id
    WHERE m.product_id = ${product.id} ${before}
    ORDER BY m.id DESC
    LIMIT ${limit + 1}`)) as unknown as Record<string, unknown>[];
  const items = rows.slice(0, limit).map((r) => ({
    id: Number(r.id),
    createdAt: toIso(r.created_at)!,
    kind: r.kind as string,
    warehouse: r.warehouse as string,
    location: r.location as string,
    onHandDelta: r.on_hand_delta as number,
    reservedDelta: r.reserved_delta as number,
    onHandAfter: r.on_hand_after as number,
    reservedAfter: r.reserved_after as number,
    reasonCode: (r.reason_code as string | null) ?? null,
    referenceType: (r.reference_type as string | null) ?? null,
    referenceId: (r.reference_id as string | null) ?? null,
    referenceLabel: (r.reference_label as string | null) ?? null,
    note: (r.note as string | null) ?? null,
    actor: r.actor as string,
  }));
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
  const rows = (await db.execute(sql`
    WITH running AS (
      SELECT id, created_at,
        sum(on_hand_delta) OVER (ORDER BY id)::int AS on_hand,
        sum(reserved_delta) OVER (ORDER BY id)::int AS reserved
      FROM stock_movements WHERE product_id = ${product.id}
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
    ORDER BY part DESC, created_at`)) as unknown as Record<string, unknown>[];
  const start = rows.find((r) => r.part === 'start');
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    start: { onHand: (start?.on_hand as number) ?? 0, reserved: (start?.reserved as number) ?? 0 },
    points: rows
      .filter((r) => r.part === 'point')
      .map((r) => ({ t: toIso(r.created_at)!, onHand: r.on_hand as number, reserved: r.reserved as number })),
  };
}
