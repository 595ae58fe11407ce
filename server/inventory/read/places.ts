// Warehouses and their bins as master data: the Warehouses pages (with what each bin holds) and GET /api/v1/locations.
import '#server-only';
import { and, asc, eq, gt, ilike, or, sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { locations, products, reservations, stockLevels, warehouses } from '@/db/schema';
import type { Bin, BinRow, WarehousePage, WarehouseSummary } from '@/lib/contracts/locations';
import { toBin } from '../commands/locations';
import { toWarehouseMaster } from '../commands/warehouses';

export async function warehouseSummaries(db: Executor): Promise<WarehouseSummary[]> {
  const inUse = db
    .selectDistinct({ locationId: stockLevels.locationId })
    .from(stockLevels)
    .where(or(gt(stockLevels.onHand, 0), gt(stockLevels.reserved, 0)))
    .as('in_use');
  const rows = await db
    .select({
      warehouse: warehouses,
      bins: sql<number>`count(${locations.id})::int`,
      activeBins: sql<number>`(count(${locations.id}) FILTER (WHERE ${locations.active}))::int`,
      binsInUse: sql<number>`count(${inUse.locationId})::int`,
    })
    .from(warehouses)
    .leftJoin(locations, eq(locations.warehouseId, warehouses.id))
    .leftJoin(inUse, eq(inUse.locationId, locations.id))
    .groupBy(warehouses.id)
    .orderBy(asc(warehouses.code));
  return rows.map((r) => ({ ...toWarehouseMaster(r.warehouse), bins: r.bins, activeBins: r.activeBins, binsInUse: r.binsInUse }));
}

// A warehouse's page: the warehouse (with its id, the room its screen joins) and its bins.
export async function warehousePage(db: Executor, code: string): Promise<WarehousePage | null> {
  const [row] = await db.select().from(warehouses).where(eq(warehouses.code, code));
  return row ? { warehouse: { ...toWarehouseMaster(row), id: row.id }, bins: await warehouseBins(db, code) } : null;
}

// Every bin of a warehouse in pick-path order, with the stock in it and its open holds.
export async function warehouseBins(db: Executor, code: string): Promise<BinRow[]> {
  const [wh] = await db.select({ id: warehouses.id, code: warehouses.code }).from(warehouses).where(eq(warehouses.code, code));
  if (!wh) return [];
  const [bins, levels, holds] = await Promise.all([
    db.select().from(locations).where(eq(locations.warehouseId, wh.id)).orderBy(asc(locations.pickOrder), asc(locations.code)),
    db
      .select({ locationId: stockLevels.locationId, sku: products.sku, onHand: stockLevels.onHand, reserved: stockLevels.reserved })
      .from(stockLevels)
      .innerJoin(locations, eq(locations.id, stockLevels.locationId))
      .innerJoin(products, eq(products.id, stockLevels.productId))
      .where(and(eq(locations.warehouseId, wh.id), or(gt(stockLevels.onHand, 0), gt(stockLevels.reserved, 0))))
      .orderBy(asc(products.sku)),
    db
      .select({ locationId: reservations.locationId, n: sql<number>`count(*)::int` })
      .from(reservations)
      .innerJoin(locations, eq(locations.id, reservations.locationId))
      .where(and(eq(locations.warehouseId, wh.id), eq(reservations.status, 'active')))
      .groupBy(reservations.locationId),
  ]);
  const holdsAt = new Map(holds.map((h) => [h.locationId, h.n]));
  return bins.map((b) => ({
    ...toBin(wh.code, b),
    id: b.id,
    contents: levels.filter((l) => l.locationId === b.id).map(({ sku, onHand, reserved }) => ({ sku, onHand, reserved })),
    holds: holdsAt.get(b.id) ?? 0,
  }));
}

export const DEFAULT_LOCATIONS_LIMIT = 100;
export const MAX_LOCATIONS_LIMIT = 500;
export type LocationsQuery = { warehouse?: string; q?: string; after?: string; limit?: number; inactive?: 'exclude' | 'include' };
export type LocationsPage = { items: Bin[]; nextCursor: string | null };

// Paged by (warehouse code, bin code); the cursor is `<warehouse>:<code>` of the last bin seen (no code holds a colon).
export async function locationsPage(db: Executor, query: LocationsQuery = {}): Promise<LocationsPage> {
  const limit = query.limit ?? DEFAULT_LOCATIONS_LIMIT;
  const [afterWarehouse, afterCode] = query.after ? splitCursor(query.after) : [undefined, undefined];
  const q = query.q?.trim();
  const rows = await db
    .select({ warehouse: warehouses.code, location: locations })
    .from(locations)
    .innerJoin(warehouses, eq(warehouses.id, locations.warehouseId))
    .where(
      and(
        query.warehouse === undefined ? undefined : eq(warehouses.code, query.warehouse),
        query.inactive === 'include' ? undefined : and(eq(locations.active, true), eq(warehouses.active, true)),
        q ? ilike(locations.code, `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) : undefined,
        afterWarehouse === undefined ? undefined : sql`(${warehouses.code}, ${locations.code}) > (${afterWarehouse}, ${afterCode})`,
      ),
    )
    .orderBy(asc(warehouses.code), asc(locations.code))
    .limit(limit + 1);
  const items = rows.slice(0, limit).map((r) => toBin(r.warehouse, r.location));
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit ? `${last.warehouse}:${last.code}` : null };
}

function splitCursor(cursor: string): [string, string] {
  const at = cursor.indexOf(':');
  return at < 0 ? [cursor, ''] : [cursor.slice(0, at), cursor.slice(at + 1)];
}
