// Order helpers shared by the order commands. Every command that changes an order locks its row first, so the
// order's lines and holds change one command at a time (lock order: order, then reservations, then levels).
import '#server-only';
import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { orderLines, orders, products, reservations, type Order, type OrderLine, type Product } from '@/db/schema';
import type { CommandContext } from './clock';
import type { Actor } from './actor';
import { rethrowRefusal } from './errors';

export type OrderRef = { id?: string; reference?: string; channel: string };

// Another API key's order is not found, exactly as one that does not exist.
// The rules are the database's (migration 0026), which the one-call pick uses too.
export async function lockOrder(tx: Tx, ref: OrderRef, actor: Actor, o: { pickable?: true } = {}): Promise<Order> {
  const apiKey = actor.kind === 'api_key' ? actor.id : null;
  const fn = o.pickable ? sql`onhand_lock_pickable_order` : sql`onhand_lock_order`;
  const [order] = await tx
    .select()
    .from(orders)
    .where(eq(orders.id, sql`(SELECT (${fn}(${ref.id ?? null}::uuid, ${ref.reference ?? null}::text, ${ref.channel}::text, ${apiKey}::uuid)).id)`))
    .catch(rethrowRefusal);
  return order;
}


export async function lineForSku(tx: Tx, order: Order, sku: string): Promise<{ line: OrderLine; product: Product }> {
  const [row] = await tx
    .select({ line: orderLines, product: products })
    .from(orderLines)
    .innerJoin(products, eq(products.id, orderLines.productId))
    .where(eq(orderLines.id, sql`(SELECT (onhand_line_for_sku(${order.id}::uuid, ${order.reference}::text, ${sku}::text)).id)`))
    .catch(rethrowRefusal);
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
  await tx.execute(sql`SELECT onhand_add_line_hold(${h.orderId}::uuid, ${h.lineId}::uuid, ${h.reference}, ${h.productId}::int, ${h.locationId}::int,
    ${h.qty}::int, ${h.ownerKeyId}::uuid, ${ctx.actor.label})`);
}
// Takes qty out of a hold; at zero the hold is used up ('consumed').
export async function takeFromHold(tx: Tx, ctx: CommandContext, holdRowId: string, qty: number) {
  await tx.execute(sql`SELECT onhand_take_from_hold(${holdRowId}::uuid, ${qty}::int, ${ctx.backdated ? ctx.now.toISOString() : null}::timestamptz)`);
}
// After a pick or a short pick: 'picked' once every line is settled (picked + short = qty), else 'picking'.
export async function settlePickStatus(tx: Tx, orderId: string): Promise<Order['status']> {
  const [row] = await tx.execute<{ status: Order['status'] }>(sql`SELECT onhand_settle_pick_status(${orderId}::uuid) AS status`);
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
  const [row] = await tx
    .execute<{ id: number; code: string }>(sql`SELECT id, code FROM onhand_shipping_location(${warehouseId}::int, ${warehouseCode}::text)`)
    .catch(rethrowRefusal);
  return row;
}