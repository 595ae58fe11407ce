// One product for the dashboard: its levels per location with each row's version (the realtime feed patches a
// row when a message carries version = cached + 1), totals, and what is still due on open purchase orders.
import '#server-only';
import { and, asc, desc, eq, lt, sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { products } from '@/db/schema';
import { sellableSql } from '../kernel/availability-rule';
import { notFound } from '../kernel/errors';
import { l, m, po, pol, s, w } from './aliases';
import { receivable } from './incoming';
import { totalsOf } from '@/lib/level-patch';
import { toIso } from './stock-list';
import type { LevelRow, ProductDetail, ProductSummary } from '@/lib/contracts/product';

export async function productSummary(db: Executor, sku: string): Promise<ProductSummary> {
  const [product] = await db
    .select({
      id: products.id,
      sku: products.sku,
      name: products.name,
      unit: products.unit,
      barcodes: products.barcodes,
      threshold: products.lowStockThreshold,
      reorderQty: products.reorderQty,
    })
    .from(products)
    .where(eq(products.sku, sku));
  if (!product) throw notFound('sku', sku);
  return product;
}

export async function productDetail(db: Executor, sku: string): Promise<ProductDetail> {
  const product = await productSummary(db, sku);
  const [levelRows, incoming] = await Promise.all([
    db
      .select({
        productId: s.productId,
        locationId: s.locationId,
        warehouse: w.code,
        location: l.code,
        locationKind: l.kind,
        sellable: sellableSql(l),
        onHand: s.onHand,
        reserved: s.reserved,
        version: s.version,
        updatedAt: s.updatedAt,
        lastCountedAt: sql<string | null>`(${db
          .select({ at: m.createdAt })
          .from(m)
          .where(and(eq(m.productId, s.productId), eq(m.locationId, s.locationId), eq(m.kind, 'count')))
          .orderBy(desc(m.id))
          .limit(1)})`,
      })
      .from(s)
      .innerJoin(l, eq(l.id, s.locationId))
      .innerJoin(w, eq(w.id, l.warehouseId))
      .where(eq(s.productId, product.id))
      .orderBy(asc(w.code), sql`${l.kind} <> 'pick'`, sql`${l.kind} <> 'storage'`, asc(l.code)),
    db
      .select({
        purchaseOrder: po.reference,
        warehouse: w.code,
        supplier: po.supplier,
        expectedAt: po.expectedAt,
        remaining: sql<number>`(${pol.qtyExpected} - ${pol.qtyReceived})::int`,
      })
      .from(pol)
      .innerJoin(po, eq(po.id, pol.purchaseOrderId))
      .innerJoin(w, eq(w.id, po.warehouseId))
      .where(and(eq(pol.productId, product.id), receivable(po.status), lt(pol.qtyReceived, pol.qtyExpected)))
      .orderBy(sql`${po.expectedAt} NULLS LAST`, asc(po.reference)),
  ]);
  const levels: LevelRow[] = levelRows.map((r) => ({
    ...r,
    available: r.onHand - r.reserved,
    updatedAt: r.updatedAt.toISOString(),
    lastCountedAt: toIso(r.lastCountedAt),
  }));
  return { product, levels, totals: totalsOf(levels), incoming };
}
