// Lists of work waiting on the floor: purchase orders to receive and orders to pick.
import '#server-only';
import { asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import type { OpenPurchaseOrder } from '@/lib/contracts/floor';
import { po, pol, w } from './aliases';
import { receivable } from './incoming';

export async function openPurchaseOrders(db: Executor): Promise<OpenPurchaseOrder[]> {
  return db
    .select({
      reference: po.reference,
      supplier: po.supplier,
      warehouse: w.code,
      expectedAt: po.expectedAt,
      lines: sql<number>`count(${pol.id})::int`,
      expected: sql<number>`coalesce(sum(${pol.qtyExpected}), 0)::int`,
      received: sql<number>`coalesce(sum(${pol.qtyReceived}), 0)::int`,
    })
    .from(po)
    .innerJoin(w, eq(w.id, po.warehouseId))
    .leftJoin(pol, eq(pol.purchaseOrderId, po.id))
    .where(receivable(po.status))
    .groupBy(po.id, w.code)
    .orderBy(sql`${po.expectedAt} NULLS LAST`, asc(po.reference));
}
