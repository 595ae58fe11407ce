// One purchase order with its lines, for the receiving screen: expected versus received, per product.
import { sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { InventoryError } from '../kernel/errors';
import type { PurchaseOrderDetail } from '@/lib/contracts/floor';

export async function purchaseOrderDetail(db: Executor, reference: string): Promise<PurchaseOrderDetail> {
  const [po] = (await db.execute(sql`
    SELECT po.id, po.reference, po.supplier, w.code AS warehouse, po.status, po.expected_at::text AS expected_at
    FROM purchase_orders po JOIN warehouses w ON w.id = po.warehouse_id
    WHERE po.reference = ${reference}`)) as unknown as Record<string, unknown>[];
  if (!po) throw new InventoryError('not_found', `No purchase order ${reference}.`, { purchaseOrder: reference });
  const lines = (await db.execute(sql`
    SELECT p.sku, p.name, p.barcodes, pol.qty_expected, pol.qty_received
    FROM purchase_order_lines pol JOIN products p ON p.id = pol.product_id
    WHERE pol.purchase_order_id = ${po.id as string}
    ORDER BY p.sku`)) as unknown as Record<string, unknown>[];
  return {
    reference: po.reference as string,
    supplier: po.supplier as string,
    warehouse: po.warehouse as string,
    status: po.status as string,
    expectedAt: (po.expected_at as string | null) ?? null,
    lines: lines.map((l) => {
      const expected = l.qty_expected as number;
      const received = l.qty_received as number;
      return {
        sku: l.sku as string,
        name: l.name as string,
        barcodes: l.barcodes as string[],
        expected,
        received,
        remaining: Math.max(expected - received, 0),
        over: Math.max(received - expected, 0),
      };
    }),
  };
}
