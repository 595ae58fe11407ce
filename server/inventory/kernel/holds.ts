// Holds with what they hold and where: each reservation row with its product, its location and that location's
// warehouse, one object per table. Callers add their where and order; commands add `FOR UPDATE OF reservations`,
// which locks the holds only, never the products or places; some add the order line a hold is for.
import '#server-only';
import { eq } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { locations, products, reservations, warehouses, type Location, type Product, type Reservation, type Warehouse } from '@/db/schema';

export function selectHolds(db: Executor) {
  return db
    .select()
    .from(reservations)
    .innerJoin(products, eq(products.id, reservations.productId))
    .innerJoin(locations, eq(locations.id, reservations.locationId))
    .innerJoin(warehouses, eq(warehouses.id, locations.warehouseId))
    .$dynamic();
}

type HoldJoin = { reservations: Reservation; products: Product; locations: Location; warehouses: Warehouse };

// A hold row with the names an answer shows: the product's SKU, the warehouse's code and the bin's code.
export function namedHold({ reservations: r, products: p, locations: l, warehouses: w }: HoldJoin) {
  return { ...r, sku: p.sku, warehouse: w.code, location: l.code };
}
