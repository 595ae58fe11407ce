// A warehouse's pick list: one task per order-line hold in a bin (not yet staged), walked in pick-path order (the
// bins' pick_order, then code), and the orders it serves, including picked ones waiting to ship from this warehouse.
import '#server-only';
import { and, asc, eq, exists, gt, inArray, ne, sql } from 'drizzle-orm';
import type { SelectedFields } from 'drizzle-orm/pg-core';
import type { Executor } from '@/db/client';
import { locations, orderLines, orders, reservations } from '@/db/schema';
import { selectHolds } from '../kernel/holds';
import { warehouseByCode } from '../kernel/lookup';
import type { PickList } from '@/lib/contracts/floor';

export async function pickList(db: Executor, warehouseCode: string): Promise<PickList> {
  const wh = await warehouseByCode(db, warehouseCode);
  // An order's active holds in this warehouse (the outer query's order).
  const heldHere = and(eq(reservations.holdId, orders.id), eq(reservations.status, 'active'), eq(locations.warehouseId, wh.id));
  const holdsHere = <T extends SelectedFields>(fields: T) =>
    db.select(fields).from(reservations).innerJoin(locations, eq(locations.id, reservations.locationId));
  const [tasks, orderRows] = await Promise.all([
    selectHolds(db)
      .innerJoin(orderLines, eq(orderLines.id, reservations.orderLineId))
      .innerJoin(orders, eq(orders.id, orderLines.orderId))
      .where(
        and(
          eq(reservations.status, 'active'),
          gt(reservations.qty, 0),
          inArray(orders.status, ['allocated', 'picking']),
          eq(locations.warehouseId, wh.id),
          ne(locations.kind, 'shipping'),
        ),
      )
      .orderBy(asc(locations.pickOrder), asc(locations.code), asc(orders.createdAt), asc(orders.reference), asc(orderLines.lineNo))
      .limit(1000),
    db
      .select({
        id: orders.id,
        reference: orders.reference,
        channel: orders.channel,
        status: orders.status,
        createdAt: orders.createdAt,
        lines: sql<number>`count(${orderLines.id})::int`,
        units: sql<number>`sum(${orderLines.qty})::int`,
        picked: sql<number>`sum(${orderLines.pickedQty})::int`,
        short: sql<number>`sum(${orderLines.shortQty})::int`,
        staged: sql<number>`(${holdsHere({ qty: sql`coalesce(sum(${reservations.qty}), 0)::int` }).where(and(heldHere, eq(locations.kind, 'shipping')))})`,
      })
      .from(orders)
      .innerJoin(orderLines, eq(orderLines.orderId, orders.id))
      .where(and(inArray(orders.status, ['allocated', 'picking', 'picked']), exists(holdsHere({ one: sql`1` }).where(heldHere))))
      .groupBy(orders.id)
      .orderBy(asc(orders.createdAt), asc(orders.reference))
      .limit(200),
  ]);
  return {
    warehouse: wh.code,
    tasks: tasks.map(({ reservations: r, order_lines: ol, orders: o, products: p, locations: l }) => ({
      holdId: r.id,
      orderId: o.id,
      reference: o.reference,
      channel: o.channel,
      lineNo: ol.lineNo,
      sku: p.sku,
      name: p.name,
      barcodes: p.barcodes,
      location: l.code,
      qty: r.qty,
      lineQty: ol.qty,
      linePicked: ol.pickedQty,
      lineShort: ol.shortQty,
    })),
    orders: orderRows.map((o) => ({ ...o, createdAt: o.createdAt.toISOString() })),
  };
}
