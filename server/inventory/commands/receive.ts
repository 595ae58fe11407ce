import '#server-only';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { runStockChange, type CommandOptions } from '../kernel/command';
import { holdForApproval } from './approval-guard';
import { receiveRule } from './purchase-orders';
import { locationRef, note, qty, reference, sku } from '../kernel/schemas';

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

// One call of onhand_receive (migration 0025). A staff receipt without a purchase order beyond the limit waits for a
// manager instead (approval-guard.ts).
export async function receive(db: Db, input: ReceiveInput, opts: CommandOptions): Promise<ReceiveResult> {
  await holdForApproval(db, 'receive', receiveInput, input, opts);
  return runStockChange(db, { name: 'receive', schema: receiveInput }, input, opts, { poRule: receiveRule });
}
