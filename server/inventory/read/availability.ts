// Storefront availability per SKU: Σ(on_hand - reserved) over sellable locations, and a status, never bins.
import '#server-only';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { locations, products, stockLevels } from '@/db/schema';
import type { StockStatus } from '@/lib/contracts/stock-status';
import { afterBuffer, availableSql, listedSql, sellableSql, statusOf } from '../kernel/availability-rule';

export type SkuAvailability = { sku: string; available: number; status: StockStatus; updatedAt: string | null };

export type AvailabilityResult = { items: SkuAvailability[]; unknown: string[] };

// What a storefront channel asks: its warehouses (none listed: all), its "only N left" threshold (null: the
// product's own) and the units kept back from it (buffer).
export type ChannelScope = { warehouseIds: number[]; lowStockThreshold: number | null; buffer?: number };
const EVERYWHERE: ChannelScope = { warehouseIds: [], lowStockThreshold: null };

// Items come back in the order asked (duplicates once); SKUs with no product are listed in `unknown`.
export async function availabilityOf(db: Executor, skus: string[], scope: ChannelScope = EVERYWHERE): Promise<AvailabilityResult> {
  const wanted = [...new Set(skus)];
  if (!wanted.length) return { items: [], unknown: [] };
  const inScope = scope.warehouseIds.length ? inArray(locations.warehouseId, scope.warehouseIds) : undefined;
  const sellable = and(sellableSql(), inScope);
  const rows = await db
    .select({
      sku: products.sku,
      threshold: products.lowStockThreshold,
      available: availableSql({ extra: inScope }),
      updatedAt: sql<Date | null>`max(${stockLevels.updatedAt}) filter (where ${sellable})`.mapWith(stockLevels.updatedAt),
    })
    .from(products)
    .leftJoin(stockLevels, eq(stockLevels.productId, products.id))
    .leftJoin(locations, eq(locations.id, stockLevels.locationId))
    .where(and(inArray(products.sku, wanted), listedSql()))
    .groupBy(products.id);
  const bySku = new Map(rows.map((r) => [r.sku, r]));
  const items: SkuAvailability[] = [];
  const unknown: string[] = [];
  for (const sku of wanted) {
    const r = bySku.get(sku);
    if (!r) {
      unknown.push(sku);
      continue;
    }
    const available = afterBuffer(r.available, scope.buffer ?? 0);
    items.push({ sku, available, status: statusOf(available, scope.lowStockThreshold ?? r.threshold), updatedAt: r.updatedAt ? r.updatedAt.toISOString() : null });
  }
  return { items, unknown };
}
