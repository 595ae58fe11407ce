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

// A product that is to take new stock (a receipt, an adjustment, a count): refused while it is archived, so an
// archived product never gains stock again until it is restored. FOR KEY SHARE: an archive running now (it locks
// the row FOR UPDATE and checks for stock) either sees this command's stock or makes it wait and refuse.
export async function productForNewStock(tx: Executor, sku: string, field = 'sku') {
  const [row] = await tx.select().from(products).where(eq(products.sku, sku)).for('key share');
  if (!row) throw notFound('sku', sku);
  if (!row.active) {
    throw new InventoryError('invalid_state', `${sku} is archived: it takes no new stock. Restore it on its product page first.`, {
      sku,
      fields: { [field]: [`${sku} is archived`] },
    });
  }
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

// A bin that is to take new stock (a receipt, a transfer's destination, an adjustment or a count): refused if it or
// its warehouse is deactivated. FOR SHARE on both rows: a deactivation that is checking this bin for stock waits for
// this command to commit (and then sees its stock), or this command waits for it (and then sees it inactive).
export async function locationForNewStock(tx: Executor, warehouse: string, location: string, field = 'location') {
  const [row] = await tx
    .select({ location: locations, warehouseActive: warehouses.active })
    .from(locations)
    .innerJoin(warehouses, eq(warehouses.id, locations.warehouseId))
    .where(and(eq(warehouses.code, warehouse), eq(locations.code, location)))
    .for('share');
  if (!row) return locationByCode(tx, warehouse, location);
  if (!row.warehouseActive) {
    throw new InventoryError('invalid_state', `Warehouse ${warehouse} is deactivated: it takes no new stock.`, { warehouse, location, fields: { [field]: [`warehouse ${warehouse} is deactivated`] } });
  }
  if (!row.location.active) {
    throw new InventoryError('invalid_state', `Bin ${location} in ${warehouse} is deactivated: it takes no new stock. Choose another bin.`, {
      warehouse,
      location,
      fields: { [field]: [`${location} is deactivated`] },
    });
  }
  return row.location;
}
