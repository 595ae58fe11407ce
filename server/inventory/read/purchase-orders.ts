// Purchase orders for the purchasing pages, the REST API and the CSV: the list by status, and one order with its
// lines (ordered vs received, short reasons) and the supplier's terms for each line.
import '#server-only';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { productSuppliers } from '@/db/schema';
import type { PoStatus, PurchaseOrderSummary, PurchaseOrderView } from '@/lib/contracts/purchasing';
import { InventoryError } from '../kernel/errors';
import { p, po, pol, w } from './aliases';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
const headColumns = {
  id: po.id,
  reference: po.reference,
  status: po.status,
  supplier: po.supplier,
  supplierId: po.supplierId,
  warehouse: w.code,
  expectedAt: po.expectedAt,
  createdAt: po.createdAt,
  orderedAt: po.orderedAt,
  closedAt: po.closedAt,
  createdBy: po.createdBy,
  version: po.version,
};

export const MAX_PO_LIST = 500;

// Newest first; open work (drafts, ordered, partially received) unless a status is named.
export async function purchaseOrderList(db: Executor, q: { status?: PoStatus | 'open' | 'all' } = {}): Promise<PurchaseOrderSummary[]> {
  const status = q.status ?? 'open';
  const where =
    status === 'all' ? undefined : status === 'open' ? sql`${po.status} IN ('draft', 'ordered', 'partially_received')` : eq(po.status, status);
  const rows = await db
    .select({
      ...headColumns,
      lines: sql<number>`count(${pol.id})::int`,
      ordered: sql<number>`coalesce(sum(${pol.qtyExpected}), 0)::int`,
      received: sql<number>`coalesce(sum(${pol.qtyReceived}), 0)::int`,
    })
    .from(po)
    .innerJoin(w, eq(w.id, po.warehouseId))
    .leftJoin(pol, eq(pol.purchaseOrderId, po.id))
    .where(where)
    .groupBy(po.id, w.code)
    .orderBy(desc(po.createdAt), desc(po.reference))
    .limit(MAX_PO_LIST);
  return rows.map(({ id: _, ...r }) => ({ ...r, createdAt: iso(r.createdAt)!, orderedAt: iso(r.orderedAt), closedAt: iso(r.closedAt) }));
}

export async function purchaseOrderView(db: Executor, reference: string): Promise<PurchaseOrderView> {
  const [head] = await db.select(headColumns).from(po).innerJoin(w, eq(w.id, po.warehouseId)).where(eq(po.reference, reference));
  if (!head) throw new InventoryError('not_found', `No purchase order ${reference}.`, { purchaseOrder: reference });
  const lines = await db
    .select({
      sku: p.sku,
      name: p.name,
      ordered: pol.qtyExpected,
      received: pol.qtyReceived,
      shortReason: pol.shortReason,
      supplierSku: productSuppliers.supplierSku,
      packSize: sql<number>`coalesce(${productSuppliers.packSize}, 1)`,
      minOrderQty: sql<number>`coalesce(${productSuppliers.minOrderQty}, 1)`,
      unitCostCents: productSuppliers.unitCostCents,
    })
    .from(pol)
    .innerJoin(p, eq(p.id, pol.productId))
    .leftJoin(productSuppliers, and(eq(productSuppliers.productId, pol.productId), sql`${productSuppliers.supplierId} = ${head.supplierId}`))
    .where(eq(pol.purchaseOrderId, head.id))
    .orderBy(asc(p.sku));
  const { id: _, ...rest } = head;
  return {
    ...rest,
    createdAt: iso(rest.createdAt)!,
    orderedAt: iso(rest.orderedAt),
    closedAt: iso(rest.closedAt),
    lines: lines.map((l) => ({ ...l, remaining: Math.max(l.ordered - l.received, 0), over: Math.max(l.received - l.ordered, 0) })),
  };
}
