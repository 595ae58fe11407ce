import '#server-only';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { runCommand, type CommandOptions } from '../kernel/command';
import { applyChange } from '../kernel/levels';
import { locationForNewStock, productForNewStock } from '../kernel/lookup';
import { adjustmentReason, locationRef, MAX_QTY, note, reference, sku } from '../kernel/schemas';
import { together } from '../kernel/together';

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
export function adjust(db: Db, input: AdjustInput, opts: CommandOptions): Promise<AdjustResult> {
  return runCommand(db, { name: 'adjust', schema: adjustInput }, input, opts, async (tx, i, ctx) => {
    const [product, location] = await together(productForNewStock(tx, i.sku), locationForNewStock(tx, i.warehouse, i.location));
    // applyChange's condition keeps reserved <= on_hand: a removal past the available units is refused with the figures.
    const level = await applyChange(tx, ctx, {
      productId: product.id,
      locationId: location.id,
      kind: 'adjustment',
      onHandDelta: i.delta,
      reservedDelta: 0,
      reasonCode: i.reason,
      referenceType: i.reference ? 'reference' : null,
      referenceId: i.reference ?? null,
      note: i.note ?? null,
    });
    return {
      movementId: level.movementId,
      sku: product.sku,
      warehouse: i.warehouse,
      location: location.code,
      delta: i.delta,
      reason: i.reason,
      onHand: level.onHand,
      reserved: level.reserved,
      available: level.available,
      version: level.version,
    };
  });
}
