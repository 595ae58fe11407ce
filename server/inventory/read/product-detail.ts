// One product for the dashboard: its levels per location with each row's version (the realtime feed patches a
// row when a message carries version = cached + 1), totals, and what is still due on open purchase orders.
import { sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { sellableSql } from '../kernel/availability-rule';
import { notFound } from '../kernel/errors';
import { l } from './aliases';
import { totalsOf } from '@/lib/level-patch';
import { toIso } from './stock-list';
import type { LevelRow, ProductDetail, ProductSummary } from '@/lib/contracts/product';

export async function productSummary(db: Executor, sku: string): Promise<ProductSummary> {
  const [p] = (await db.execute(sql`
    SELECT id, sku, name, unit, barcodes, low_stock_threshold, reorder_qty FROM products WHERE sku = ${sku}`)) as unknown as Record<string, unknown>[];
  if (!p) throw notFound('sku', sku);
  return {
    id: p.id as number,
    sku: p.sku as string,
    name: p.name as string,
    unit: p.unit as string,
    barcodes: p.barcodes as string[],
    threshold: p.low_stock_threshold as number,
    reorderQty: p.reorder_qty as number,
  };
}

export async function productDetail(db: Executor, sku: string): Promise<ProductDetail> {
  const product = await productSummary(db, sku);
  const [levelRows, incomingRows] = await Promise.all([
    db.execute(sql`
      SELECT s.product_id, s.location_id, w.code AS warehouse, l.code AS location, l.kind, 
        ${sellableSql(l)} AS sellable, s.on_hand, s.reserved, s.version, s.updated_at,
        (SELECT m.created_at FROM stock_movements m
           WHERE m.product_id = s.product_id AND m.location_id = s.location_id AND m.kind = 'count'
           ORDER BY m.id DESC LIMIT 1) AS last_counted_at
      FROM stock_levels s
      JOIN locations l ON l.id = s.location_id
      JOIN warehouses w ON w.id = l.warehouse_id
      WHERE s.product_id = ${product.id}
      ORDER BY w.code, l.kind <> 'pick', l.kind <> 'storage', l.code`),
    db.execute(sql`
      SELECT po.reference, w.code AS warehouse, po.supplier, po.expected_at::text AS expected_at,
        (pol.qty_expected - pol.qty_received)::int AS remaining
      FROM purchase_order_lines pol
      JOIN purchase_orders po ON po.id = pol.purchase_order_id
      JOIN warehouses w ON w.id = po.warehouse_id
      WHERE pol.product_id = ${product.id} AND po.status = 'open' AND pol.qty_received < pol.qty_expected
      ORDER BY po.expected_at NULLS LAST, po.reference`),
  ]);
  const levels: LevelRow[] = (levelRows as unknown as Record<string, unknown>[]).map((r) => ({
    productId: r.product_id as number,
    locationId: r.location_id as number,
    warehouse: r.warehouse as string,
    location: r.location as string,
    locationKind: r.kind as string,
    sellable: r.sellable as boolean,
    onHand: r.on_hand as number,
    reserved: r.reserved as number,
    available: (r.on_hand as number) - (r.reserved as number),
    version: r.version as number,
    updatedAt: toIso(r.updated_at)!,
    lastCountedAt: toIso(r.last_counted_at),
  }));
  return {
    product,
    levels,
    totals: totalsOf(levels),
    incoming: (incomingRows as unknown as Record<string, unknown>[]).map((r) => ({
      purchaseOrder: r.reference as string,
      warehouse: r.warehouse as string,
      supplier: r.supplier as string,
      expectedAt: (r.expected_at as string | null) ?? null,
      remaining: r.remaining as number,
    })),
  };
}
