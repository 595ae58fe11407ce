import '#server-only';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '@/db/client';
import { orderLines, orders, reservations, type Order } from '@/db/schema';
import { runCommand, type CommandOptions } from '../kernel/command';
import { InventoryError } from '../kernel/errors';
import { selectHolds } from '../kernel/holds';
import { applyChanges } from '../kernel/levels';
import { lockOrder } from '../kernel/orders';
import { channel, exactlyOneOrderRef, orderId, orderReference } from '../kernel/schemas';

export const cancelOrderInput = z
  .object({ id: orderId.optional(), reference: orderReference.optional(), channel })
  .refine((o) => exactlyOneOrderRef(o.id, o.reference), { message: 'give either id or reference (with channel)', path: ['id'] });
export type CancelOrderInput = z.input<typeof cancelOrderInput>;

// staged: the units were already picked and wait in a shipping location; they stay there, unreserved, to be put away.
export type ReleasedHold = { lineNo: number; sku: string; warehouse: string; location: string; qty: number; staged: boolean };
export type CancelOrderResult = { id: string; reference: string; channel: string; status: 'cancelled'; released: ReleasedHold[] };

// Cancelling releases everything the order still holds (kind 'deallocation'), picked-and-staged units included.
// Cancelling a cancelled order is idempotent: the same result again, nothing written (a queue redelivering the
// message, or a retry without an Idempotency-Key, must not fail). A shipped order cannot be cancelled.
export function cancelOrder(db: Db, input: CancelOrderInput, opts: CommandOptions): Promise<CancelOrderResult> {
  return runCommand(db, { name: 'cancelOrder', schema: cancelOrderInput }, input, opts, async (tx, i, ctx) => {
    const order = await lockOrder(tx, i, ctx.actor);
    if (order.status === 'shipped') {
      throw new InventoryError('invalid_state', `Order ${order.reference} has shipped; it cannot be cancelled.`, {
        order: order.id,
        reference: order.reference,
        status: order.status,
      });
    }
    if (order.status === 'cancelled') return describe(tx, order);
    const active = await tx
      .select()
      .from(reservations)
      .where(and(eq(reservations.holdId, order.id), eq(reservations.status, 'active')))
      .for('update');
    const holding = active.filter((r) => r.qty > 0);
    await applyChanges(
      tx,
      ctx,
      holding.map((r) => ({
        productId: r.productId,
        locationId: r.locationId,
        kind: 'deallocation' as const,
        onHandDelta: 0,
        reservedDelta: -r.qty,
        reasonCode: 'cancelled',
        referenceType: 'order',
        referenceId: order.id,
      })),
    );
    if (active.length) {
      await tx
        .update(reservations)
        .set({ status: 'released', closedAt: ctx.now })
        .where(inArray(reservations.id, active.map((r) => r.id)));
    }
    await tx.update(orders).set({ status: 'cancelled', updatedAt: ctx.now }).where(eq(orders.id, order.id));
    return describe(tx, order);
  });
}

// Built from the rows the cancellation released, so a repeated cancel answers exactly as the first did.
async function describe(tx: Tx, order: Order): Promise<CancelOrderResult> {
  const rows = await selectHolds(tx)
    .innerJoin(orderLines, eq(orderLines.id, reservations.orderLineId))
    .where(and(eq(reservations.holdId, order.id), eq(reservations.status, 'released')))
    .orderBy(asc(orderLines.lineNo), asc(reservations.locationId), asc(reservations.id));
  return {
    id: order.id,
    reference: order.reference,
    channel: order.channel,
    status: 'cancelled',
    released: rows
      .filter((r) => r.reservations.qty > 0)
      .map(({ order_lines: ol, products: p, locations: l, warehouses: w, reservations: r }) => ({
        lineNo: ol.lineNo,
        sku: p.sku,
        warehouse: w.code,
        location: l.code,
        qty: r.qty,
        staged: l.kind === 'shipping',
      })),
  };
}
