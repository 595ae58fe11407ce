// Resolves what callers name (SKU, warehouse and bin codes) to rows, or a not_found error that says which.
import '#server-only';
import { and, eq } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { locations, products, warehouses } from '@/db/schema';
import { InventoryError, notFound } from './errors';

export async function productBySku(db: Executor, sku: string) {
  const [row] = await db.select().from(products).where(eq(products.sku, sku));
  if (!row) throw notFound('sku', sku);
  return row;
}

export async function warehouseByCode(db: Executor, code: string) {
  const [row] = await db.select().from(warehouses).where(eq(warehouses.code, code));
  if (!row) throw notFound('warehouse', code);
  return row;
}

export async function locationByCode(db: Executor, warehouse: string, location: string) {
  const [row] = await db
    .select({ location: locations, warehouseCode: warehouses.code })
    .from(locations)
    .innerJoin(warehouses, eq(warehouses.id, locations.warehouseId))
    .where(and(eq(warehouses.code, warehouse), eq(locations.code, location)));
  if (!row) {
    await warehouseByCode(db, warehouse);
    throw new InventoryError('not_found', `Warehouse ${warehouse} has no location ${location}.`, { warehouse, location });
  }
  return row.location;
}
