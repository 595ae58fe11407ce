// What is still to come in: the lines of open purchase orders not yet received in full (pol), with their order (po).
// The review and the drill-down count incoming units and the next arrival from the same lines.
import '#server-only';
import { sql } from 'drizzle-orm';
import { purchaseOrderLines, purchaseOrders } from '@/db/schema';
import { po, pol } from './aliases';

export const dueLines = sql`${purchaseOrderLines} ${pol} JOIN ${purchaseOrders} ${po} ON ${po.id} = ${pol.purchaseOrderId}
  AND ${po.status} = 'open' AND ${pol.qtyReceived} < ${pol.qtyExpected}`;
