// What one bin holds, for the floor screens that start with a bin scan (counts, transfers, adjustments).
import '#server-only';
import { and, eq, gt, or, sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { sellableSql } from '../kernel/availability-rule';
import { InventoryError } from '../kernel/errors';
import { l, p, s, w } from './aliases';
import type { BinContents } from '@/lib/contracts/stock';

export async function binContents(db: Executor, warehouse: string, location: string): Promise<BinContents> {
  const [loc] = await db
    .select({ id: l.id, warehouse: w.code, location: l.code, kind: l.kind, sellable: sellableSql(l) })
    .from(l)
    .innerJoin(w, eq(w.id, l.warehouseId))
    .where(and(eq(w.code, warehouse), eq(l.code, location)));
  if (!loc) throw new InventoryError('not_found', `Warehouse ${warehouse} has no location ${location}.`, { warehouse, location });
  const rows = await db
    .select({ productId: p.id, sku: p.sku, name: p.name, barcodes: p.barcodes, onHand: s.onHand, reserved: s.reserved, version: s.version })
    .from(s)
    .innerJoin(p, eq(p.id, s.productId))
    .where(and(eq(s.locationId, loc.id), or(gt(s.onHand, 0), gt(s.reserved, 0))))
    .orderBy(p.sku)
    .limit(500);
  return {
    warehouse: loc.warehouse,
    location: loc.location,
    kind: loc.kind,
    sellable: loc.sellable,
    levels: rows.map((r) => ({ ...r, available: r.onHand - r.reserved })),
  };
}

// One product's level in one bin (0 when the bin has never held it): the figure a count or adjustment starts from.
export async function levelAt(db: Executor, q: { sku: string; warehouse: string; location: string }) {
  const [row] = await db
    .select({
      onHand: sql<number>`coalesce(${s.onHand}, 0)`,
      reserved: sql<number>`coalesce(${s.reserved}, 0)`,
      version: sql<number>`coalesce(${s.version}, 0)`,
    })
    .from(p)
    .crossJoin(l)
    .innerJoin(w, eq(w.id, l.warehouseId))
    .leftJoin(s, and(eq(s.productId, p.id), eq(s.locationId, l.id)))
    .where(and(eq(p.sku, q.sku), eq(w.code, q.warehouse), eq(l.code, q.location)));
  if (!row) throw new InventoryError('not_found', `No ${q.sku} or no location ${q.warehouse} ${q.location}.`, q);
  return { onHand: row.onHand, reserved: row.reserved, available: row.onHand - row.reserved, version: row.version };
}
