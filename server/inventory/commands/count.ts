import '#server-only';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { runStockChange, type CommandOptions } from '../kernel/command';
import { holdForApproval } from './approval-guard';
import { locationRef, MAX_QTY, note, reference, sku } from '../kernel/schemas';

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
// deltas): it is when the bin was last counted. One call of onhand_count (migration 0024).
export async function count(db: Db, input: CountInput, opts: CommandOptions): Promise<CountResult> {
  await holdForApproval(db, 'count', countInput, input, opts);
  return runStockChange(db, { name: 'count', schema: countInput }, input, opts);
}
