import '#server-only';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { runStockChange, type CommandOptions } from '../kernel/command';
import { adjustmentReason, locationRef, MAX_QTY, note, reference, sku } from '../kernel/schemas';

export const adjustInput = z.object({
  sku,
  ...locationRef,
  // Signed: positive adds units, negative removes them.
  delta: z
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(-MAX_QTY, `must be at least -${MAX_QTY.toLocaleString('en')}`)
    .max(MAX_QTY, `must be at most ${MAX_QTY.toLocaleString('en')}`)
    .refine((d) => d !== 0, 'must not be zero'),
  reason: adjustmentReason,
  reference,
  note,
});
export type AdjustInput = z.input<typeof adjustInput>;

export type AdjustResult = {
  movementId: number;
  sku: string;
  warehouse: string;
  location: string;
  delta: number;
  reason: string;
  onHand: number;
  reserved: number;
  available: number;
  version: number;
};

// Corrects on_hand in one bin. A removal can only take available units: stock held for carts and orders stays.
// One call of onhand_adjust (migration 0024).
export function adjust(db: Db, input: AdjustInput, opts: CommandOptions): Promise<AdjustResult> {
  return runStockChange(db, { name: 'adjust', schema: adjustInput }, input, opts);
}
