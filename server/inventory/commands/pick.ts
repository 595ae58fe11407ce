import '#server-only';
import { and, eq, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { locations, orderLines, reservations } from '@/db/schema';
import { runCommand, type CommandOptions } from '../kernel/command';
import { InventoryError } from '../kernel/errors';
import { selectHolds } from '../kernel/holds';
import { applyChanges } from '../kernel/levels';
import { locationByCode } from '../kernel/lookup';
import { addLineHold, assertPickable, lineForSku, lineHoldAt, lockOrder, settlePickStatus, shippingLocationOf, summarizeLine, takeFromHold, type LineSummary } from '../kernel/orders';
import { deferred, together } from '../kernel/together';
import { channel, exactlyOneOrderRef, locationRef, orderId, orderReference, qty, sku } from '../kernel/schemas';

export const pickInput = z
  .object({ orderId: orderId.optional(), reference: orderReference.optional(), channel, sku, ...locationRef, qty })
  .refine((o) => exactlyOneOrderRef(o.orderId, o.reference), {
    message: 'give either orderId or reference (with channel)',
    path: ['orderId'],
  });
export type PickInput = z.input<typeof pickInput>;

export type PickResult = {
  orderId: string;
  reference: string;
  status: 'picking' | 'picked';
  sku: string;
  qty: number;
  from: { warehouse: string; location: string; onHand: number; available: number };
  // The shipping location the units now wait in, still reserved for the order until it ships.
  to: { warehouse: string; location: string };
  line: LineSummary;
  movementIds: number[];
};

// Picks units of an order line from the bin where the line holds them (never from elsewhere: medusajs/medusa#14987).
// The bin loses on_hand and reserved ('pick'); the warehouse's shipping location gains both ('staged'), with a
// hold for the line there, so staged stock stays unavailable and every reserved unit has a reservation row.
export function pick(db: Db, input: PickInput, opts: CommandOptions): Promise<PickResult> {
  return runCommand(db, { name: 'pick', schema: pickInput }, input, opts, async (tx, i, ctx) => {
    const order = await lockOrder(tx, { id: i.orderId, reference: i.reference, channel: i.channel }, ctx.actor);
    assertPickable(order);
    const [{ line, product }, bin] = await together(lineForSku(tx, order, i.sku), locationByCode(tx, i.warehouse, i.location));
    // The shipping location is looked up with the hold; a pick beyond the hold is still the refusal given first.
    const [hold, shipOf] = await together(lineHoldAt(tx, line.id, bin.id), deferred(shippingLocationOf(tx, bin.warehouseId, i.warehouse)));
    const held = hold?.qty ?? 0;
    if (i.qty > held) {
      const heldAt = (
        await selectHolds(tx).where(and(eq(reservations.orderLineId, line.id), eq(reservations.status, 'active'), ne(locations.kind, 'shipping')))
      ).map(({ reservations: r, locations: l, warehouses: w }) => ({ warehouse: w.code, location: l.code, qty: r.qty }));
      throw new InventoryError(
        'insufficient_stock',
        `Order ${order.reference} holds ${held} of ${product.sku} in ${bin.code}; cannot pick ${i.qty} there.`,
        { sku: product.sku, location: bin.code, requested: i.qty, available: held, heldAt },
      );
    }
    const ship = shipOf();
    const ref = { referenceType: 'order', referenceId: order.id };
    const [fromLevel, toLevel] = await applyChanges(tx, ctx, [
      { productId: product.id, locationId: bin.id, kind: 'pick', onHandDelta: -i.qty, reservedDelta: -i.qty, ...ref },
      { productId: product.id, locationId: ship.id, kind: 'staged', onHandDelta: i.qty, reservedDelta: i.qty, ...ref },
    ]);
    // Three writes that need nothing from one another: one round trip.
    const [, , [updated]] = await together(
      takeFromHold(tx, ctx, hold!.id, i.qty),
      addLineHold(tx, ctx, {
        orderId: order.id,
        lineId: line.id,
        reference: order.reference,
        ownerKeyId: order.ownerKeyId,
        productId: product.id,
        locationId: ship.id,
        qty: i.qty,
      }),
      tx
        .update(orderLines)
        .set({ pickedQty: sql`${orderLines.pickedQty} + ${i.qty}` })
        .where(eq(orderLines.id, line.id))
        .returning(),
    );
    const status = (await settlePickStatus(tx, ctx, order.id)) as PickResult['status'];
    return {
      orderId: order.id,
      reference: order.reference,
      status,
      sku: product.sku,
      qty: i.qty,
      from: { warehouse: i.warehouse, location: bin.code, onHand: fromLevel.onHand, available: fromLevel.available },
      to: { warehouse: i.warehouse, location: ship.code },
      line: summarizeLine(updated, product.sku),
      movementIds: [fromLevel.movementId, toLevel.movementId],
    };
  });
}
