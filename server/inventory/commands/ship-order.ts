import '#server-only';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { locations, orderLines, orders, products, reservations } from '@/db/schema';
import { runCommand, type CommandOptions } from '../kernel/command';
import { InventoryError } from '../kernel/errors';
import { namedHold, selectHolds } from '../kernel/holds';
import { applyChanges } from '../kernel/levels';
import { lockOrder } from '../kernel/orders';
import { channel, exactlyOneOrderRef, orderId, orderReference } from '../kernel/schemas';

export const shipOrderInput = z
  .object({ orderId: orderId.optional(), reference: orderReference.optional(), channel })
  .refine((o) => exactlyOneOrderRef(o.orderId, o.reference), {
    message: 'give either orderId or reference (with channel)',
    path: ['orderId'],
  });
export type ShipOrderInput = z.input<typeof shipOrderInput>;

export type ShippedLine = { lineNo: number; sku: string; qty: number; shippedQty: number; shortQty: number };
export type ShipOrderResult = {
  id: string;
  reference: string;
  status: 'shipped';
  lines: ShippedLine[];
  shipments: { sku: string; warehouse: string; location: string; qty: number; movementId: number }[];
};

// Ships a picked order: the staged units leave the shipping location (kind 'ship': on_hand and reserved both drop)
// and the order's staged holds are used up. Lines left short ship what was picked.
export function shipOrder(db: Db, input: ShipOrderInput, opts: CommandOptions): Promise<ShipOrderResult> {
  return runCommand(db, { name: 'shipOrder', schema: shipOrderInput }, input, opts, async (tx, i, ctx) => {
    const order = await lockOrder(tx, { id: i.orderId, reference: i.reference, channel: i.channel }, ctx.actor);
    if (order.status !== 'picked') {
      throw new InventoryError('invalid_state', `Order ${order.reference} is ${order.status}; only a picked order can ship.`, {
        order: order.id,
        reference: order.reference,
        status: order.status,
      });
    }
    const staged = (
      await selectHolds(tx)
        .where(and(eq(reservations.holdId, order.id), eq(reservations.status, 'active'), eq(locations.kind, 'shipping')))
        .orderBy(asc(reservations.productId), asc(reservations.locationId))
        .for('update', { of: reservations })
    ).map(namedHold);
    if (!staged.length) {
      throw new InventoryError('invalid_state', `Order ${order.reference} has nothing picked to ship; cancel it instead.`, {
        order: order.id,
        reference: order.reference,
      });
    }
    const levels = await applyChanges(
      tx,
      ctx,
      staged.map((s) => ({
        productId: s.productId,
        locationId: s.locationId,
        kind: 'ship' as const,
        onHandDelta: -s.qty,
        reservedDelta: -s.qty,
        referenceType: 'order',
        referenceId: order.id,
      })),
    );
    await tx
      .update(reservations)
      .set({ qty: 0, status: 'consumed', closedAt: ctx.now })
      .where(inArray(reservations.id, staged.map((s) => s.id)));
    await tx.update(orders).set({ status: 'shipped', updatedAt: ctx.now }).where(eq(orders.id, order.id));
    const lines = await tx
      .select({ lineNo: orderLines.lineNo, sku: products.sku, qty: orderLines.qty, shippedQty: orderLines.pickedQty, shortQty: orderLines.shortQty })
      .from(orderLines)
      .innerJoin(products, eq(products.id, orderLines.productId))
      .where(eq(orderLines.orderId, order.id))
      .orderBy(asc(orderLines.lineNo));
    return {
      id: order.id,
      reference: order.reference,
      status: 'shipped' as const,
      lines,
      shipments: staged.map((s, n) => ({ sku: s.sku, warehouse: s.warehouse, location: s.location, qty: s.qty, movementId: levels[n].movementId })),
    };
  });
}
