// What the bulk threshold form starts from: the named products' current thresholds and reorder quantities, as
// they apply in one warehouse (its override, else the default) or as defaults.
import { sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';

export type CurrentThreshold = { sku: string; threshold: number; reorderQty: number };

export async function currentThresholds(db: Executor, skus: string[], warehouse?: string) {
  const warehouses = (await db.execute(sql`SELECT code, name FROM warehouses ORDER BY code`)) as unknown as { code: string; name: string }[];
  if (!skus.length) return { warehouses, rows: [] as CurrentThreshold[] };
  const wh = warehouse ? sql`(SELECT id FROM warehouses WHERE code = ${warehouse})` : sql`NULL::int`;
  const rows = (await db.execute(sql`
    SELECT p.sku, coalesce(pws.low_stock_threshold, p.low_stock_threshold) AS threshold, coalesce(pws.reorder_qty, p.reorder_qty) AS reorder_qty
    FROM products p LEFT JOIN product_warehouse_settings pws ON pws.product_id = p.id AND pws.warehouse_id = ${wh}
    WHERE p.sku IN ${skus}
    ORDER BY p.sku`)) as unknown as { sku: string; threshold: number; reorder_qty: number }[];
  return { warehouses, rows: rows.map((r) => ({ sku: r.sku, threshold: r.threshold, reorderQty: r.reorder_qty })) };
}
