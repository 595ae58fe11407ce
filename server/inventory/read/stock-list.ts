// The stock list: one row per product with totals over sellable and all locations. "Available" is
// on_hand - reserved in sellable locations, computed here and nowhere else for lists (Saleor #10877).
import { sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';

export type StockStatus = 'in_stock' | 'low_stock' | 'out_of_stock';

export type StockListRow = {
  id: number;
  sku: string;
  name: string;
  onHand: number;
  reserved: number;
  available: number;
  threshold: number;
  status: StockStatus;
};

export type StockListQuery = { q?: string; status?: StockStatus; page?: number; pageSize?: number };

export async function stockList(db: Executor, query: StockListQuery): Promise<{ rows: StockListRow[]; total: number }> {
  const pageSize = Math.min(Math.max(query.pageSize ?? 50, 1), 200);
  const page = Math.max(query.page ?? 1, 1);
  const q = query.q?.trim();
  const search = q
    ? sql`AND (p.sku ILIKE ${`%${escapeLike(q)}%`} OR p.name ILIKE ${`%${escapeLike(q)}%`} OR ${q} = ANY(p.barcodes))`
    : sql``;
  const status = query.status ? sql`WHERE status = ${query.status}` : sql``;
  const rows = (await db.execute(sql`
    WITH totals AS (
      SELECT p.id, p.sku, p.name, p.low_stock_threshold AS threshold,
        coalesce(sum(s.on_hand), 0)::int AS on_hand,
        coalesce(sum(s.reserved), 0)::int AS reserved,
        coalesce(sum(s.on_hand - s.reserved) FILTER (WHERE l.sellable), 0)::int AS available
      FROM products p
      LEFT JOIN stock_levels s ON s.product_id = p.id
      LEFT JOIN locations l ON l.id = s.location_id
      WHERE true ${search}
      GROUP BY p.id
    ), classified AS (
      SELECT *, CASE WHEN available <= 0 THEN 'out_of_stock' WHEN available <= threshold THEN 'low_stock' ELSE 'in_stock' END AS status
      FROM totals
    )
    SELECT *, count(*) OVER ()::int AS total FROM classified ${status}
    ORDER BY sku
    LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`)) as unknown as (Record<string, unknown> & { total: number })[];
  return {
    total: rows[0]?.total ?? 0,
    rows: rows.map((r) => ({
      id: r.id as number,
      sku: r.sku as string,
      name: r.name as string,
      onHand: r.on_hand as number,
      reserved: r.reserved as number,
      available: r.available as number,
      threshold: r.threshold as number,
      status: r.status as StockStatus,
    })),
  };
}

function escapeLike(s: string) {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
