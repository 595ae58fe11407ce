// Lists of work waiting on the floor: purchase orders to receive and orders to pick.
import { sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import type { OpenPurchaseOrder } from '@/lib/contracts/floor';

export async function openPurchaseOrders(db: Executor): Promise<OpenPurchaseOrder[]> {
  const rows = (await db.execute(sql`
    SELECT po.reference, po.supplier, w.code AS warehouse, po.expected_at::text AS expected_at,
      count(l.id)::int AS lines, coalesce(sum(l.qty_expected), 0)::int AS expected, coalesce(sum(l.qty_received), 0)::int AS received
    FROM purchase_orders po
    JOIN warehouses w ON w.id = po.warehouse_id
    LEFT JOIN purchase_order_lines l ON l.purchase_order_id = po.id
    WHERE po.status = 'open'
    GROUP BY po.id, w.code
    ORDER BY po.expected_at NULLS LAST, po.reference`)) as unknown as Record<string, unknown>[];
  return rows.map((r) => ({
    reference: r.reference as string,
    supplier: r.supplier as string,
    warehouse: r.warehouse as string,
    expectedAt: r.expected_at as string | null,
    lines: r.lines as number,
    expected: r.expected as number,
    received: r.received as number,
  }));
}

