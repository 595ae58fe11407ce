// Warehouses and their locations, for filters and the warehouse pickers of the floor screens: active ones only, since
// a deactivated warehouse or bin takes no new stock (its history stays on the stock and product pages).
import '#server-only';
import { and, asc, eq } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { warehouses } from '@/db/schema';
import { sellableSql } from '../kernel/availability-rule';
import { l, w } from './aliases';
import type { WarehouseWithLocations } from '@/lib/contracts/stock';

export async function warehousesWithLocations(db: Executor): Promise<WarehouseWithLocations[]> {
  const rows = await db
    .select({ warehouse: w.code, name: w.name, code: l.code, kind: l.kind, sellable: sellableSql(l) })
    .from(w)
    .leftJoin(l, and(eq(l.warehouseId, w.id), eq(l.active, true)))
    .where(eq(w.active, true))
    .orderBy(asc(w.id), asc(l.code));
  const out = new Map<string, WarehouseWithLocations>();
  for (const r of rows) {
    if (!out.has(r.warehouse)) out.set(r.warehouse, { code: r.warehouse, name: r.name, locations: [] });
    // A warehouse without locations comes back once, with nulls for the location.
    if (r.code && r.kind) out.get(r.warehouse)!.locations.push({ code: r.code, kind: r.kind, sellable: r.sellable });
  }
  return [...out.values()];
}

// Just the warehouses, for pickers that choose whole warehouses (a storefront channel's).
export async function warehouseList(db: Executor): Promise<{ id: number; code: string; name: string }[]> {
  return db.select({ id: warehouses.id, code: warehouses.code, name: warehouses.name }).from(warehouses).orderBy(warehouses.code);
}
