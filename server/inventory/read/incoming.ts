// What is still to come in: the lines of placed purchase orders (ordered or partially received) not yet received in
// full (pol), with their order (po). Drafts are not incoming: nobody has ordered them yet. The review, the
// drill-down, the stock list and the product page count incoming units and the next arrival from the same lines.
import '#server-only';
import { sql, type SQLWrapper } from 'drizzle-orm';
import { purchaseOrderLines, purchaseOrders } from '@/db/schema';
import { po, pol } from './aliases';

// Statuses a receipt may be booked against, and whose remaining lines count as incoming.
export const RECEIVABLE_STATUSES = ['ordered', 'partially_received'] as const;

export const receivable = (status: SQLWrapper) => sql`${status} IN ('ordered', 'partially_received')`;

export const dueLines = sql`${purchaseOrderLines} ${pol} JOIN ${purchaseOrders} ${po} ON ${po.id} = ${pol.purchaseOrderId}
  AND ${receivable(po.status)} AND ${pol.qtyReceived} < ${pol.qtyExpected}`;
