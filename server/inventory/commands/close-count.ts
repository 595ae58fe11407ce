import '#server-only';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '@/db/client';
import { products, stockLevels } from '@/db/schema';
import { runCommand, type CommandOptions } from '../kernel/command';
import { holdForApproval } from './approval-guard';
import { InventoryError } from '../kernel/errors';
import { applyChanges } from '../kernel/levels';
import { locationForNewStock, productForNewStock } from '../kernel/lookup';
import { locationRef, MAX_QTY, MAX_SKUS_PER_CALL, note, reference, sku } from '../kernel/schemas';

const line = z.object({
  sku,
  // The on-hand figure the counter's screen had for it when the bin was scanned: it goes to 0 only if still current.
  expected: z.number({ error: 'expected must be a number' }).int('must be a whole number').min(0, 'must be 0 or more').max(MAX_QTY),
});

export const closeCountInput = z.object({
  ...locationRef,
  // The products the bin held that the counter did not scan: each is counted as 0.
  lines: z
    .array(line)
    .min(1, 'name at least one product to set to 0')
    .max(MAX_SKUS_PER_CALL, `at most ${MAX_SKUS_PER_CALL} products at once`)
    .refine((ls) => new Set(ls.map((l) => l.sku)).size === ls.length, 'name each product once'),
  reference,
  note,
});
export type CloseCountInput = z.input<typeof closeCountInput>;

export type CloseCountLine = { sku: string; delta: number; onHand: number; movementId: number };
export type CloseCountResult = { warehouse: string; location: string; movementId: number; lines: CloseCountLine[] };

// Closing a bin's count: every product the bin held that was not scanned is counted as 0, all in one transaction
// (one command_id, a 'count' ledger row each, in the global lock order). It is the single count's compare-and-set
// for each line: if any of them moved since the bin was scanned, or any holds reserved units, nothing applies and
// the refusal names every line that differs, so the counter recounts those rather than finding out one by one.
export async function closeCount(db: Db, input: CloseCountInput, opts: CommandOptions): Promise<CloseCountResult> {
  await holdForApproval(db, 'close_count', closeCountInput, input, opts);
  return runCommand(db, { name: 'close_count', schema: closeCountInput }, input, opts, async (tx, i, ctx) => {
    const location = await locationForNewStock(tx, i.warehouse, i.location);
    const found: { line: { sku: string; expected: number }; product: Awaited<ReturnType<typeof productForNewStock>> }[] = [];
    for (const l of i.lines) found.push({ line: l, product: await productForNewStock(tx, l.sku) });
    const common = { locationId: location.id, kind: 'count' as const, reservedDelta: 0, reasonCode: 'cycle_count', referenceType: i.reference ? 'reference' : null, referenceId: i.reference ?? null, note: i.note ?? null };
    // In a savepoint: when a line is refused, the lines before it are rolled back first, so the refusal reads the
    // figures as others left them, not this command's own zeros.
    const applied = await tx
      .transaction((sp) => applyChanges(sp, ctx, found.map(({ line: l, product }) => ({ ...common, productId: product.id, onHandDelta: -l.expected, expectOnHand: l.expected }))))
      .catch(async (e: unknown) => {
      if (!(e instanceof InventoryError) || (e.type !== 'conflict' && e.type !== 'insufficient_stock')) throw e;
      throw await whatChanged(tx, location.id, location.code, found.map((f) => ({ ...f.line, productId: f.product.id })));
    });
    const lines = applied.map((a, n) => ({ sku: found[n].product.sku, delta: -found[n].line.expected, onHand: a.onHand, movementId: a.movementId }));
    return { warehouse: i.warehouse, location: location.code, movementId: lines[0].movementId, lines };
  });
}

// The refusal, worded from the figures as they are now (read only to explain; the transaction is rolled back).
async function whatChanged(tx: Tx, locationId: number, code: string, lines: { sku: string; expected: number; productId: number }[]): Promise<InventoryError> {
  const now = await tx
    .select({ sku: products.sku, onHand: stockLevels.onHand, reserved: stockLevels.reserved })
    .from(stockLevels)
    .innerJoin(products, eq(products.id, stockLevels.productId))
    .where(and(eq(stockLevels.locationId, locationId), inArray(stockLevels.productId, lines.map((l) => l.productId))))
    .orderBy(sql`${products.sku}`);
  const bySku = new Map(now.map((r) => [r.sku, r]));
  const changed = lines
    .map((l) => ({ sku: l.sku, expected: l.expected, current: bySku.get(l.sku)?.onHand ?? 0 }))
    .filter((l) => l.current !== l.expected);
  if (changed.length > 0) {
    const words = changed.map((c) => `${c.sku} is now ${c.current}, not ${c.expected}`).join('; ');
    return new InventoryError('conflict', `Stock in ${code} changed since it was scanned: ${words}. Nothing was set to 0; recount those products.`, {
      location: code,
      changed,
    });
  }
  const held = lines.map((l) => ({ sku: l.sku, reserved: bySku.get(l.sku)?.reserved ?? 0 })).filter((l) => l.reserved > 0);
  const words = held.map((h) => `${h.sku} has ${h.reserved} reserved`).join('; ');
  return new InventoryError(
    'invalid_state',
    `${code} cannot go to 0: ${words} for carts and orders. Nothing was set to 0. Find the reserved units, or release or short-pick their holds first.`,
    { location: code, held },
  );
}
