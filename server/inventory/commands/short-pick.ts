import '#server-only';
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { orderLines } from '@/db/schema';
import { together } from '../kernel/together';
import { allocationPlan, describePicks, holdChanges, lockCandidates, onCandidates, type Allocation } from '../kernel/allocation';
import { runCommand, type CommandOptions } from '../kernel/command';
import { InventoryError } from '../kernel/errors';
import { applyChanges } from '../kernel/levels';
import { locationByCode } from '../kernel/lookup';
import { addLineHold, lineForSku, lineHoldAt, lockOrder, settlePickStatus, summarizeLine, takeFromHold, type LineSummary } from '../kernel/orders';
import { channel, exactlyOneOrderRef, locationRef, note, orderId, orderReference, qty, sku } from '../kernel/schemas';

export const shortPickReasons = ['not_found', 'damaged', 'other'] as const;
// The ledger speaks the adjustment vocabulary: a unit the picker cannot find is lost.
const reasonCode: Record<(typeof shortPickReasons)[number], string> = { not_found: 'lost', damaged: 'damaged', other: 'other' };

export const shortPickInput = z
  .object({
    orderId: orderId.optional(),
    reference: orderReference.optional(),
    channel,
    sku,
    ...locationRef,
    // The units the picker could not pick from this bin.
    qty,
    reason: z.enum(shortPickReasons, { error: `must be one of ${shortPickReasons.join(', ')}` }),
    note,
  })
  .refine((o) => exactlyOneOrderRef(o.orderId, o.reference), {
    message: 'give either orderId or reference (with channel)',
    path: ['orderId'],
  });
export type ShortPickInput = z.input<typeof shortPickInput>;

export type ShortPickResult = {
  orderId: string;
  reference: string;
  status: 'picking' | 'picked';
  sku: string;
  qty: number;
  writtenOff: { warehouse: string; location: string; qty: number; onHand: number; available: number; movementId: number };
  // reallocated: all missing units are now held elsewhere (pick them there); short: none could be; partly: some.
  outcome: 'reallocated' | 'partly_reallocated' | 'short';
  reallocated: Allocation[];
  // Units this call left short on the line, for a manager to resolve.
  shortQty: number;
  line: LineSummary;
};

// A picker reports units missing from the bin the line holds them in. In one transaction: the missing units are
// written off the bin (on_hand and reserved together, kind 'adjustment'), the line's hold there shrinks, and the
// same quantity is re-held in other sellable locations of the same warehouse (allocation rule), as far as there
// is stock; whatever cannot be re-held is recorded as the line's short_qty.
export function shortPick(db: Db, input: ShortPickInput, opts: CommandOptions): Promise<ShortPickResult> {
  return runCommand(db, { name: 'shortPick', schema: shortPickInput }, input, opts, async (tx, i, ctx) => {
    const order = await lockOrder(tx, { id: i.orderId, reference: i.reference, channel: i.channel }, ctx.actor, { pickable: true });
    const { line, product } = await lineForSku(tx, order, i.sku);
    const bin = await locationByCode(tx, i.warehouse, i.location);
    const hold = await lineHoldAt(tx, line.id, bin.id);
    const held = hold?.qty ?? 0;
    if (i.qty > held) {
      throw new InventoryError(
        'insufficient_stock',
        `Order ${order.reference} holds ${held} of ${product.sku} in ${bin.code}; cannot report ${i.qty} missing there.`,
        { sku: product.sku, location: bin.code, requested: i.qty, available: held },
      );
    }
    // The bin and every candidate are locked together, in the global order, before anything changes.
    const [candidates, raw] = await together(
      lockCandidates(tx, [product.id], { warehouseIds: [bin.warehouseId], alsoLockLocationIds: [bin.id] }),
      allocationPlan(tx, product.id, i.qty, { warehouseIds: [bin.warehouseId], exclude: [bin.id] }),
    );
    const plan = onCandidates(raw, candidates, product.id);
    const ref = { referenceType: 'order', referenceId: order.id };
    const [writeOff] = await applyChanges(tx, ctx, [
      {
        productId: product.id,
        locationId: bin.id,
        kind: 'adjustment',
        onHandDelta: -i.qty,
        reservedDelta: -i.qty,
        reasonCode: reasonCode[i.reason],
        note: i.note ? `short pick: ${i.note}` : `short pick (${i.reason.replace('_', ' ')})`,
        ...ref,
      },
      ...holdChanges(plan.picks, 'allocation', { ...ref, reasonCode: 'short_pick' }),
    ]);
    await takeFromHold(tx, ctx, hold!.id, i.qty);
    for (const p of plan.picks) {
      await addLineHold(tx, ctx, {
        orderId: order.id,
        lineId: line.id,
        reference: order.reference,
        ownerKeyId: order.ownerKeyId,
        productId: product.id,
        locationId: p.candidate.locationId,
        qty: p.qty,
      });
    }
    const short = i.qty - plan.filled;
    const [updated] = await tx
      .update(orderLines)
      .set({ shortQty: sql`${orderLines.shortQty} + ${short}` })
      .where(eq(orderLines.id, line.id))
      .returning();
    const status = (await settlePickStatus(tx, order.id)) as ShortPickResult['status'];
    return {
      orderId: order.id,
      reference: order.reference,
      status,
      sku: product.sku,
      qty: i.qty,
      writtenOff: {
        warehouse: i.warehouse,
        location: bin.code,
        qty: i.qty,
        onHand: writeOff.onHand,
        available: writeOff.available,
        movementId: writeOff.movementId,
      },
      outcome: short === 0 ? 'reallocated' : short === i.qty ? 'short' : 'partly_reallocated',
      reallocated: describePicks(plan.picks),
      shortQty: short,
      line: summarizeLine(updated, product.sku),
    };
  });
}
