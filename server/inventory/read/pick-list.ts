// A warehouse's pick list: one task per order-line hold in a bin (not yet staged), walked in bin-path order,
// and the orders it serves, including picked ones waiting to ship from this warehouse.
import { sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { warehouseByCode } from '../kernel/lookup';
import { toIso } from './stock-list';
import type { PickList } from '@/lib/contracts/floor';

type Row = Record<string, unknown>;

export async function pickList(db: Executor, warehouseCode: string): Promise<PickList> {
  const wh = await warehouseByCode(db, warehouseCode);
  const [taskRows, orderRows] = await Promise.all([
    db.execute(sql`
      SELECT r.id AS hold_id, o.id AS order_id, o.reference, o.channel, ol.line_no, ol.qty AS line_qty, ol.picked_qty, ol.short_qty,
        p.sku, p.name, p.barcodes, l.code AS location, r.qty
      FROM orders o
      JOIN order_lines ol ON ol.order_id = o.id
      JOIN reservations r ON r.order_line_id = ol.id AND r.status = 'active' AND r.qty > 0
      JOIN locations l ON l.id = r.location_id
      JOIN products p ON p.id = r.product_id
      WHERE o.status IN ('allocated', 'picking') AND l.warehouse_id = ${wh.id} AND l.kind <> 'shipping'
      ORDER BY l.code, o.created_at, o.reference, ol.line_no
      LIMIT 1000`),
    db.execute(sql`
      SELECT o.id, o.reference, o.channel, o.status, o.created_at,
        count(ol.id)::int AS lines, sum(ol.qty)::int AS units, sum(ol.picked_qty)::int AS picked, sum(ol.short_qty)::int AS short,
        (SELECT coalesce(sum(r.qty), 0)::int FROM reservations r JOIN locations l ON l.id = r.location_id
           WHERE r.hold_id = o.id AND r.status = 'active' AND l.warehouse_id = ${wh.id} AND l.kind = 'shipping') AS staged
      FROM orders o JOIN order_lines ol ON ol.order_id = o.id
      WHERE o.status IN ('allocated', 'picking', 'picked')
        AND EXISTS (SELECT 1 FROM reservations r JOIN locations l ON l.id = r.location_id
                    WHERE r.hold_id = o.id AND r.status = 'active' AND l.warehouse_id = ${wh.id})
      GROUP BY o.id
      ORDER BY o.created_at, o.reference
      LIMIT 200`),
  ]);
  return {
    warehouse: wh.code,
    tasks: (taskRows as unknown as Row[]).map((r) => ({
      holdId: r.hold_id as string,
      orderId: r.order_id as string,
      reference: r.reference as string,
      channel: r.channel as string,
      lineNo: r.line_no as number,
      sku: r.sku as string,
      name: r.name as string,
      barcodes: r.barcodes as string[],
      location: r.location as string,
      qty: r.qty as number,
      lineQty: r.line_qty as number,
      linePicked: r.picked_qty as number,
      lineShort: r.short_qty as number,
    })),
    orders: (orderRows as unknown as Row[]).map((r) => ({
      id: r.id as string,
      reference: r.reference as string,
      channel: r.channel as string,
      status: r.status as string,
      createdAt: toIso(r.created_at)!,
      lines: r.lines as number,
      units: r.units as number,
      picked: r.picked as number,
      short: r.short as number,
      staged: r.staged as number,
    })),
  };
}
