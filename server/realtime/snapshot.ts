// What the sidecar reads from the database (never writes): the snapshot it reloads after every
// (re)subscription, the facts it loads on a miss, and the role of the user behind a socket token.
import { eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { locations, products, stockLevels, users, warehouses, type Role } from '@/db/schema';
import { listedSql, sellableSql } from '@/server/inventory/kernel/availability-rule';
import type { LevelRow, LocationInfo, ProductInfo } from './availability-cache';

// Sellable as availability means it everywhere (the core's availability rule).
const sellableExpr = sql<boolean>`${sellableSql()}`;

const locationColumns = { id: locations.id, warehouseId: locations.warehouseId, code: locations.code, sellable: sellableExpr };
const productColumns = { id: products.id, sku: products.sku, threshold: products.lowStockThreshold, listed: listedSql() };

export async function loadLocations(db: Executor, only: { ids?: number[]; warehouseId?: number } = {}): Promise<LocationInfo[]> {
  const q = db.select(locationColumns).from(locations);
  if (only.ids) return q.where(inArray(locations.id, only.ids));
  return only.warehouseId === undefined ? q : q.where(eq(locations.warehouseId, only.warehouseId));
}

export async function loadProducts(db: Executor, ids?: number[]): Promise<ProductInfo[]> {
  const q = db.select(productColumns).from(products);
  return ids ? q.where(inArray(products.id, ids)) : q;
}

export async function loadProductBySku(db: Executor, skus: string[]): Promise<ProductInfo[]> {
  return skus.length ? db.select(productColumns).from(products).where(inArray(products.sku, skus)) : [];
}

export async function loadLevels(db: Executor): Promise<LevelRow[]> {
  return db
    .select({
      productId: stockLevels.productId,
      locationId: stockLevels.locationId,
      onHand: stockLevels.onHand,
      reserved: stockLevels.reserved,
      version: stockLevels.version,
      updatedAt: sql<number>`(extract(epoch from ${stockLevels.updatedAt}) * 1000)::float8`,
    })
    .from(stockLevels);
}

export async function loadUserRole(db: Executor, id: string): Promise<Role | null> {
  // A deactivated user has no role: they may hear nothing.
  const [row] = await db.select({ role: users.role, active: users.active }).from(users).where(eq(users.id, id));
  return row?.active ? row.role : null;
}

export async function warehouseIdExists(db: Executor, id: number): Promise<boolean> {
  return (await db.$count(warehouses, eq(warehouses.id, id))) > 0;
}
