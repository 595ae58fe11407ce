// Stock levels per location for integrations (GET /api/v1/stock): one row per product and bin, with the
// row's version so a caller can tell which figure is newer.
import '#server-only';
import { and, asc, eq, inArray, type SQL } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { locations, products, stockLevels, warehouses } from '@/db/schema';
import { warehouseByCode } from '../kernel/lookup';
import { isSellable } from '../kernel/availability-rule';

export type StockLevelRow = {
  sku: string;
  warehouse: string;
  location: string;
  locationKind: string;
  sellable: boolean;
  onHand: number;
  reserved: number;
  available: number;
  version: number;
  updatedAt: string;
};

export type StockLevelsResult = { items: StockLevelRow[]; unknown: string[] };

// An unknown warehouse is an error (not_found); unknown SKUs are listed, like availability does.
export async function stockLevelsOf(db: Executor, query: { skus: string[]; warehouse?: string }): Promise<StockLevelsResult> {
  const wanted = [...new Set(query.skus)];
  const warehouse = query.warehouse ? await warehouseByCode(db, query.warehouse) : undefined;
  const known = await db.select({ sku: products.sku }).from(products).where(inArray(products.sku, wanted));
  const knownSet = new Set(known.map((p) => p.sku));
  const where: SQL[] = [inArray(products.sku, wanted)];
  if (warehouse) where.push(eq(locations.warehouseId, warehouse.id));
  const rows = await db
    .select({
      sku: products.sku,
      warehouse: warehouses.code,
      location: locations.code,
      locationKind: locations.kind,
      flag: locations.sellable,
      onHand: stockLevels.onHand,
      reserved: stockLevels.reserved,
      version: stockLevels.version,
      updatedAt: stockLevels.updatedAt,
    })
    .from(stockLevels)
    .innerJoin(products, eq(products.id, stockLevels.productId))
    .innerJoin(locations, eq(locations.id, stockLevels.locationId))
    .innerJoin(warehouses, eq(warehouses.id, locations.warehouseId))
    .where(and(...where))
    .orderBy(asc(products.sku), asc(warehouses.code), asc(locations.code));
  return {
    items: rows.map(({ flag, ...r }) => ({
      ...r,
      sellable: isSellable({ sellable: flag, kind: r.locationKind }),
      available: r.onHand - r.reserved,
      updatedAt: r.updatedAt.toISOString(),
    })),
    unknown: wanted.filter((s) => !knownSet.has(s)),
  };
}
