// Resolves what callers name (SKU, warehouse and bin codes) to rows, or a not_found error that says which. The rules
// (which part is unknown, what may take new stock, the locks) are the database's functions (migration 0024), which
// the one-call commands use too; these read the row they found.
import '#server-only';
import { eq, sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { locations, products, warehouses } from '@/db/schema';
import { notFound, rethrowRefusal } from './errors';

export async function productBySku(db: Executor, sku: string) {
  const [row] = await db
    .select()
    .from(products)
    .where(eq(products.id, sql`(SELECT (onhand_product_by_sku(${sku}::text)).id)`))
    .catch(rethrowRefusal);
  return row;
}

// A product that is to take new stock (a receipt, an adjustment, a count): refused while it is archived, so an
// archived product never gains stock again until it is restored. Its row is locked FOR KEY SHARE: an archive running
// now (it locks the row FOR UPDATE and checks for stock) either sees this command's stock or makes it wait and refuse.
export async function productForNewStock(tx: Executor, sku: string, field = 'sku') {
  const [row] = await tx
    .select()
    .from(products)
    .where(eq(products.id, sql`(SELECT (onhand_product_for_new_stock(${sku}::text, ${field}::text)).id)`))
    .catch(rethrowRefusal);
  return row;
}

export async function warehouseByCode(db: Executor, code: string) {
  const [row] = await db.select().from(warehouses).where(eq(warehouses.code, code));
  if (!row) throw notFound('warehouse', code);
  return row;
}

export async function locationByCode(db: Executor, warehouse: string, location: string) {
  const [row] = await db
    .select()
    .from(locations)
    .where(eq(locations.id, sql`(SELECT (onhand_location_by_code(${warehouse}::text, ${location}::text)).id)`))
    .catch(rethrowRefusal);
  return row;
}

// A bin that is to take new stock (a receipt, a transfer's destination, an adjustment or a count): refused if it or
// its warehouse is deactivated. Both rows are locked FOR SHARE: a deactivation that is checking this bin for stock
// waits for this command to commit (and then sees its stock), or this command waits for it (and then sees it inactive).
export async function locationForNewStock(tx: Executor, warehouse: string, location: string, field = 'location') {
  const [row] = await tx
    .select()
    .from(locations)
    .where(eq(locations.id, sql`(SELECT (onhand_location_for_new_stock(${warehouse}::text, ${location}::text, ${field}::text)).id)`))
    .catch(rethrowRefusal);
  return row;
}
