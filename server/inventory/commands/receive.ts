import '#server-only';
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { purchaseOrderLines } from '@/db/schema';
import { runCommand, type CommandOptions } from '../kernel/command';
import { holdForApproval } from './approval-guard';
import { InventoryError } from '../kernel/errors';
import { applyChange } from '../kernel/levels';
import { locationForNewStock, productForNewStock } from '../kernel/lookup';
import { lockPurchaseOrder, refuseUnless, settleAfterReceipt } from './purchase-orders';
import { locationRef, note, qty, reference, sku } from '../kernel/schemas';
import { together } from '../kernel/together';

export const receiveInput = z.object({
  sku,
  ...locationRef,
  qty,
  // Receive against this purchase order's line for the product (ordered or partially received orders only); its
  // status follows in the same transaction. Over-receipt is recorded on the line and needs a note saying why.
  purchaseOrder: z.string().trim().min(1).max(200).optional(),
  reference,
  note,
});
export type ReceiveInput = z.input<typeof receiveInput>;

export type ReceiveResult = {
  movementId: number;
  sku: string;
  warehouse: string;
  location: string;
  qty: number;
  onHand: number;
  available: number;
  version: number;
  purchaseOrderLine: { expected: number; received: number; remaining: number; overReceived: number } | null;
};

export async function receive(db: Db, input: ReceiveInput, opts: CommandOptions): Promise<ReceiveResult> {
  await holdForApproval(db, 'receive', receiveInput, input, opts);
  return runCommand(db, { name: 'receive', schema: receiveInput }, input, opts, async (tx, i, ctx) => {
    // The order's row is locked first, as closing or cancelling it does: whichever commits second sees the first.
    const po = i.purchaseOrder ? await lockPurchaseOrder(tx, i.purchaseOrder) : null;
    const [product, location] = await together(productForNewStock(tx, i.sku), locationForNewStock(tx, i.warehouse, i.location));
    let line: ReceiveResult['purchaseOrderLine'] = null;
    if (po) {
      refuseUnless(po, 'receive');
      if (po.warehouseId !== location.warehouseId) {
        throw new InventoryError('invalid_state', `Purchase order ${po.reference} is for another warehouse.`, {
          purchaseOrder: po.reference,
        });
      }
      const [updated] = await tx
        .update(purchaseOrderLines)
        .set({ qtyReceived: sql`${purchaseOrderLines.qtyReceived} + ${i.qty}` })
        .where(and(eq(purchaseOrderLines.purchaseOrderId, po.id), eq(purchaseOrderLines.productId, product.id)))
        .returning();
      if (!updated) {
        throw new InventoryError('invalid_state', `${product.sku} is not on purchase order ${po.reference}.`, {
          purchaseOrder: po.reference,
          sku: product.sku,
        });
      }
      // More than was ordered is recorded, with a reason: the note says why (the floor screen asks for a re-scan).
      const over = updated.qtyReceived - Math.max(updated.qtyExpected, updated.qtyReceived - i.qty);
      if (over > 0 && !i.note) {
        throw new InventoryError('validation_failed', `This receipt takes ${product.sku} ${over} over the ${updated.qtyExpected} ordered on ${po.reference}: give a reason in the note.`, {
          purchaseOrder: po.reference,
          sku: product.sku,
          over,
          fields: { note: [`${over} over the ordered quantity: say why`] },
        });
      }
      await settleAfterReceipt(tx, po);
      line = {
        expected: updated.qtyExpected,
        received: updated.qtyReceived,
        remaining: Math.max(updated.qtyExpected - updated.qtyReceived, 0),
        overReceived: Math.max(updated.qtyReceived - updated.qtyExpected, 0),
      };
    }
    const level = await applyChange(tx, ctx, {
      productId: product.id,
      locationId: location.id,
      kind: 'receipt',
      onHandDelta: i.qty,
      reservedDelta: 0,
      reasonCode: 'received',
      referenceType: i.purchaseOrder ? 'purchase_order' : i.reference ? 'reference' : null,
      referenceId: i.purchaseOrder ?? i.reference ?? null,
      note: i.note ?? null,
    });
    return {
      movementId: level.movementId,
      sku: product.sku,
      warehouse: i.warehouse,
      location: location.code,
      qty: i.qty,
      onHand: level.onHand,
      available: level.available,
      version: level.version,
      purchaseOrderLine: line,
    };
  });
}
