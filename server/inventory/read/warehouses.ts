// Warehouses and their locations, for filters and the warehouse pickers of the floor screens.
import { sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { warehouses } from '@/db/schema';
import { sellableSql } from '../kernel/availability-rule';
import { l } from './aliases';
import type { WarehouseWithLocations } from '@/lib/contracts/stock';

export async function warehousesWithLocations(db: Executor): Promise<WarehouseWithLocations[]> {
  const rows = (await db.execute(sql`
    SELECT w.code AS warehouse, w.name, l.code, l.kind, ${sellableSql(l)} AS sellable
    FROM warehouses w LEFT JOIN locations l ON l.warehouse_id = w.id
    ORDER BY w.id, l.code`)) as unknown as Record<string, unknown>[];
  const out = new Map<string, WarehouseWithLocations>();
  for (const r of rows) {
    const code = r.warehouse as string;
    if (!out.has(code)) out.set(code, { code, name: r.name as string, locations: [] });
    if (r.code) out.get(code)!.locations.push({ code: r.code as string, kind: r.kind as string, sellable: r.sellable as boolean });
  }
  return [...out.values()];
}

// Just the warehouses, for pickers that choose whole warehouses (a storefront channel's).
export async function warehouseList(db: Executor): Promise<{ id: number; code: string; name: string }[]> {
  return db.select({ id: warehouses.id, code: warehouses.code, name: warehouses.name }).from(warehouses).orderBy(warehouses.code);
}
