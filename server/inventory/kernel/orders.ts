// Order helpers shared by the order commands. Every command that changes an order locks its row first, so the
// order's lines and holds change one command at a time (lock order: order, then reservations, then levels).
import '#server-only';
import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { locations, orderLines, orders, products, reservations, type Order, type OrderLine, type Product } from '@/db/schema';
import type { CommandContext } from './clock';
import type { Actor } from './actor';
import { InventoryError } from './errors';
import { mayActOn } from './ownership';

export type OrderRef = { id?: string; reference?: string; channel: string };

const refText = (r: OrderRef) => (r.id ? r.id : `${r.reference} (channel ${r.channel})`);

// Another API key's order is not found, exactly as one that does not exist.
export async function lockOrder(tx: Tx, ref: OrderRef, actor: Actor): Promise<Order> {
  const where = ref.id ? eq(orders.id, ref.id) : and(eq(orders.channel, ref.channel), eq(orders.reference, ref.reference ?? ''));
  const [order] = await tx.select().from(orders).where(where).for('update');
  if (!order || !mayActOn(actor, order.ownerKeyId)) {
    throw new InventoryError('not_found', `No order matches ${refText(ref)}.`, ref.id ? { order: ref.id } : { reference: ref.reference, channel: ref.channel });
  }
  return order;
}

// Picking (and short picking) is open from allocation until every line is settled.
export function assertPickable(order: Order) {
  if (order.status === 'allocated' || order.status === 'picking') return;
  throw new InventoryError('invalid_state', `Order ${order.reference} is ${order.status}; it cannot be picked.`, {
    order: order.id,
    reference: order.reference,
    status: order.status,
  });
}

export async function lineForSku(tx: Tx, order: Order, sku: string): Promise<{ line: OrderLine; product: Product }> {
  const [row] = await tx
    .select({ line: orderLines, product: products })
    .from(orderLines)
    .innerJoin(products, eq(products.id, orderLines.productId))
    .where(and(eq(orderLines.orderId, order.id), eq(products.sku, sku)));
  if (!row) {
    throw new InventoryError('invalid_state', `${sku} is not on order ${order.reference}.`, { order: order.id, reference: order.reference, sku });
  }
  return row;
}

// The line's active hold at one location (at most one: addLineHold merges into it), locked.
export async function lineHoldAt(tx: Tx, lineId: string, locationId: number) {
  const [hold] = await tx
    .select()
    .from(reservations)
    .where(and(eq(reservations.orderLineId, lineId), eq(reservations.locationId, locationId), eq(reservations.status, 'active')))
    .for('update');
  return hold;
}

// Adds qty to the line's active hold at a location, or opens one. The caller has already changed the level.
export async function addLineHold(
  tx: Tx,
  ctx: CommandContext,
  h: { orderId: string; lineId: string; reference: string; productId: number; locationId: number; qty: number; ownerKeyId: string | null },
) {
  const [merged] = await tx
    .update(reservations)
    .set({ qty: sql`${reservations.qty} + ${h.qty}` })
    .where(and(eq(reservations.orderLineId, h.lineId), eq(reservations.locationId, h.locationId), eq(reservations.status, 'active')))
    .returning({ id: reservations.id });
  if (merged) return;
  await tx.insert(reservations).values({
    productId: h.productId,
    locationId: h.locationId,
    qty: h.qty,
    orderLineId: h.lineId,
    reference: h.reference,
    holdId: h.orderId,
    createdBy: ctx.actor.label,
    ownerKeyId: h.ownerKeyId,
  });
}

// Takes qty out of a hold; at zero the hold is used up ('consumed').
export async function takeFromHold(tx: Tx, ctx: CommandContext, holdRowId: string, qty: number) {
  await tx
    .update(reservations)
    .set({
      qty: sql`${reservations.qty} - ${qty}`,
      status: sql`CASE WHEN ${reservations.qty} = ${qty} THEN 'consumed'::reservation_status ELSE ${reservations.status} END`,
      closedAt: sql`CASE WHEN ${reservations.qty} = ${qty} THEN ${ctx.now.toISOString()}::timestamptz ELSE ${reservations.closedAt} END`,
    })
    .where(and(eq(reservations.id, holdRowId), sql`${reservations.qty} >= ${qty}`));
}

// After a pick or a short pick: 'picked' once every line is settled (picked + short = qty), else 'picking'.
export async function settlePickStatus(tx: Tx, ctx: CommandContext, orderId: string): Promise<Order['status']> {
  const [row] = await tx
    .update(orders)
    .set({
      status: sql`CASE WHEN EXISTS (SELECT 1 FROM order_lines ol WHERE ol.order_id = ${orderId}
                    AND ol.picked_qty + ol.short_qty < ol.qty) THEN 'picking'::order_status ELSE 'picked'::order_status END`,
      updatedAt: ctx.now,
    })
    .where(eq(orders.id, orderId))
    .returning({ status: orders.status });
  return row.status;
}

export type LineSummary = { lineNo: number; sku: string; qty: number; pickedQty: number; shortQty: number; remaining: number };

export const summarizeLine = (line: OrderLine, sku: string): LineSummary => ({
  lineNo: line.lineNo,
  sku,
  qty: line.qty,
  pickedQty: line.pickedQty,
  shortQty: line.shortQty,
  remaining: line.qty - line.pickedQty - line.shortQty,
});

// Picked units wait in the warehouse's shipping location (the first of kind shipping, by id).
export async function shippingLocationOf(tx: Tx, warehouseId: number, warehouseCode: string) {
  const rows = await tx
    .select({ id: locations.id, code: locations.code })
    .from(locations)
    .where(and(eq(locations.warehouseId, warehouseId), eq(locations.kind, 'shipping')))
    .orderBy(locations.id)
    .limit(1);
  if (!rows[0]) {
    throw new InventoryError('invalid_state', `Warehouse ${warehouseCode} has no shipping location to stage picked stock in.`, {
      warehouse: warehouseCode,
    });
  }
  return rows[0];
}
