import '#server-only';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { runCommand, type CommandOptions } from '../kernel/command';
import { holdForApproval } from './approval-guard';
import { InventoryError } from '../kernel/errors';
import { applyChange } from '../kernel/levels';
import { locationForNewStock, productForNewStock } from '../kernel/lookup';
import { locationRef, MAX_QTY, note, reference, sku } from '../kernel/schemas';
import { together } from '../kernel/together';

const units = (what: string) =>
  z
    .number({ error: `${what} must be a number` })
    .int('must be a whole number')
    .min(0, 'must be 0 or more')
    .max(MAX_QTY, `must be at most ${MAX_QTY.toLocaleString('en')}`);

export const countInput = z.object({
  sku,
  ...locationRef,
  // What the counter found in the bin.
  counted: units('counted'),
  // The on-hand figure the counter saw when the count started: the count applies only if it is still current.
  expected: units('expected'),
  reference,
  note,
});
export type CountInput = z.input<typeof countInput>;

export type CountResult = {
  movementId: number;
  sku: string;
  warehouse: string;
  location: string;
  counted: number;
  delta: number;
  onHand: number;
  reserved: number;
  available: number;
  version: number;
};

// A cycle count, compare-and-set: on_hand becomes `counted` only if it is still `expected`; otherwise a conflict
// with the current figure, and the counter confirms or recounts. A count that matches is recorded too (zero
// deltas): it is when the bin was last counted.
export async function count(db: Db, input: CountInput, opts: CommandOptions): Promise<CountResult> {
  await holdForApproval(db, 'count', countInput, input, opts);
  return runCommand(db, { name: 'count', schema: countInput }, input, opts, async (tx, i, ctx) => {
    const [product, location] = await together(productForNewStock(tx, i.sku), locationForNewStock(tx, i.warehouse, i.location));
    const delta = i.counted - i.expected;
    const level = await applyChange(tx, ctx, {
      productId: product.id,
      locationId: location.id,
      kind: 'count',
      onHandDelta: delta,
      reservedDelta: 0,
      reasonCode: 'cycle_count',
      referenceType: i.reference ? 'reference' : null,
      referenceId: i.reference ?? null,
      note: i.note ?? null,
      expectOnHand: i.expected,
    }).catch((e: unknown) => {
      // Still current but below what carts and orders hold: not a shortage to sell around, a state to resolve.
      if (e instanceof InventoryError && e.type === 'insufficient_stock') {
        const reserved = Number(e.details.reserved);
        throw new InventoryError(
          'invalid_state',
          `${product.sku} in ${location.code} has ${reserved} reserved for carts and orders; a count of ${i.counted} is below that. ` +
            'Find the reserved units, or release or short-pick their holds first.',
          { sku: product.sku, location: location.code, counted: i.counted, reserved, onHand: e.details.onHand },
        );
      }
      throw e;
    });
    return {
      movementId: level.movementId,
      sku: product.sku,
      warehouse: i.warehouse,
      location: location.code,
      counted: i.counted,
      delta,
      onHand: level.onHand,
      reserved: level.reserved,
      available: level.available,
      version: level.version,
    };
  });
}
