// What one bin holds, for the floor screens that start with a bin scan (counts, transfers, adjustments).
import { sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { sellableSql } from '../kernel/availability-rule';
import { InventoryError } from '../kernel/errors';
import { l } from './aliases';
import type { BinContents } from '@/lib/contracts/stock';

export async function binContents(db: Executor, warehouse: string, location: string): Promise<BinContents> {
  const [loc] = (await db.execute(sql`
    SELECT l.id, w.code AS warehouse, l.code, l.kind, ${sellableSql(l)} AS sellable
    FROM locations l JOIN warehouses w ON w.id = l.warehouse_id
    WHERE w.code = ${warehouse} AND l.code = ${location}`)) as unknown as Record<string, unknown>[];
  if (!loc) throw new InventoryError('not_found', `Warehouse ${warehouse} has no location ${location}.`, { warehouse, location });
  const rows = (await db.execute(sql`
    SELECT p.id, p.sku, p.name, p.barcodes, s.on_hand, s.reserved, s.version
    FROM stock_levels s JOIN products p ON p.id = s.product_id
    WHERE s.location_id = ${loc.id as number} AND (s.on_hand > 0 OR s.reserved > 0)
    ORDER BY p.sku
    LIMIT 500`)) as unknown as Record<string, unknown>[];
  return {
    warehouse: loc.warehouse as string,
    location: loc.code as string,
    kind: loc.kind as string,
    sellable: loc.sellable as boolean,
    levels: rows.map((r) => ({
      productId: r.id as number,
      sku: r.sku as string,
      name: r.name as string,
      barcodes: r.barcodes as string[],
      onHand: r.on_hand as number,
      reserved: r.reserved as number,
      available: (r.on_hand as number) - (r.reserved as number),
      version: r.version as number,
    })),
  };
}

// One product's level in one bin (0 when the bin has never held it): the figure a count or adjustment starts from.
export async function levelAt(db: Executor, q: { sku: string; warehouse: string; location: string }) {
  const [row] = (await db.execute(sql`
    SELECT p.id AS product_id, coalesce(s.on_hand, 0) AS on_hand, coalesce(s.reserved, 0) AS reserved, coalesce(s.version, 0) AS version
    FROM products p
    CROSS JOIN locations l JOIN warehouses w ON w.id = l.warehouse_id
    LEFT JOIN stock_levels s ON s.product_id = p.id AND s.location_id = l.id
    WHERE p.sku = ${q.sku} AND w.code = ${q.warehouse} AND l.code = ${q.location}`)) as unknown as Record<string, number>[];
  if (!row) throw new InventoryError('not_found', `No ${q.sku} or no location ${q.warehouse} ${q.location}.`, q);
  return { onHand: row.on_hand, reserved: row.reserved, available: row.on_hand - row.reserved, version: row.version };
}
