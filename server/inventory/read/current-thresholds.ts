// What the bulk threshold form starts from: the named products' current thresholds and reorder quantities, as
// they apply in one warehouse (its override, else the default) or as defaults.
import '#server-only';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { warehouses } from '@/db/schema';
import { p, pws } from './aliases';
import { warehouseList } from './warehouses';

export type CurrentThreshold = { sku: string; threshold: number; reorderQty: number };

export async function currentThresholds(db: Executor, skus: string[], warehouse?: string) {
  const whs = (await warehouseList(db)).map(({ code, name }) => ({ code, name }));
  if (!skus.length) return { warehouses: whs, rows: [] as CurrentThreshold[] };
  // Without a warehouse no override row matches, so every figure is the product's default.
  const wh = warehouse ? db.select({ id: warehouses.id }).from(warehouses).where(eq(warehouses.code, warehouse)) : sql`NULL::int`;
  const rows: CurrentThreshold[] = await db
    .select({
      sku: p.sku,
      threshold: sql<number>`coalesce(${pws.lowStockThreshold}, ${p.lowStockThreshold})`,
      reorderQty: sql<number>`coalesce(${pws.reorderQty}, ${p.reorderQty})`,
    })
    .from(p)
    .leftJoin(pws, and(eq(pws.productId, p.id), eq(pws.warehouseId, wh)))
    .where(inArray(p.sku, skus))
    .orderBy(asc(p.sku));
  return { warehouses: whs, rows };
}
