// One purchase order with its lines, for the receiving screen: expected versus received, per product.
import '#server-only';
import { asc, eq } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { InventoryError } from '../kernel/errors';
import type { PurchaseOrderDetail } from '@/lib/contracts/floor';
import { p, po, pol, w } from './aliases';

export async function purchaseOrderDetail(db: Executor, reference: string): Promise<PurchaseOrderDetail> {
  const [order] = await db
    .select({ id: po.id, reference: po.reference, supplier: po.supplier, warehouse: w.code, status: po.status, expectedAt: po.expectedAt })
    .from(po)
    .innerJoin(w, eq(w.id, po.warehouseId))
    .where(eq(po.reference, reference));
  if (!order) throw new InventoryError('not_found', `No purchase order ${reference}.`, { purchaseOrder: reference });
  const lines = await db
    .select({ sku: p.sku, name: p.name, barcodes: p.barcodes, expected: pol.qtyExpected, received: pol.qtyReceived })
    .from(pol)
    .innerJoin(p, eq(p.id, pol.productId))
    .where(eq(pol.purchaseOrderId, order.id))
    .orderBy(asc(p.sku));
  const { id: _, ...head } = order;
  return {
    ...head,
    lines: lines.map((l) => ({ ...l, remaining: Math.max(l.expected - l.received, 0), over: Math.max(l.received - l.expected, 0) })),
  };
}
