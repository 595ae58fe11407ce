import '#server-only';
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { purchaseOrderLines, purchaseOrders } from '@/db/schema';
import { runCommand, type CommandOptions } from '../kernel/command';
import { holdForApproval } from './approval-guard';
import { InventoryError } from '../kernel/errors';
import { applyChange } from '../kernel/levels';
import { locationForNewStock, productBySku } from '../kernel/lookup';
import { locationRef, note, qty, reference, sku } from '../kernel/schemas';

export const receiveInput = z.object({
  sku,
  ...locationRef,
  qty,
  // Receive against this purchase order's line for the product; over- and under-receipt are recorded on the line.
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
    const product = await productBySku(tx, i.sku);
    const location = await locationForNewStock(tx, i.warehouse, i.location);
    let line: ReceiveResult['purchaseOrderLine'] = null;
    if (i.purchaseOrder) {
      const [po] = await tx.select().from(purchaseOrders).where(eq(purchaseOrders.reference, i.purchaseOrder));
      if (!po) throw new InventoryError('not_found', `No purchase order ${i.purchaseOrder}.`, { purchaseOrder: i.purchaseOrder });
      if (po.status !== 'open') {
        throw new InventoryError('invalid_state', `Purchase order ${po.reference} is ${po.status}; it cannot receive more.`, {
          purchaseOrder: po.reference,
          status: po.status,
        });
      }
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
