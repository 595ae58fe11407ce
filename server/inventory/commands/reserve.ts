import '#server-only';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { reservations } from '@/db/schema';
import { describePicks, holdChanges, lockCandidates, notEnough, planAllocation, writeScope, type Allocation } from '../kernel/allocation';
import { runCommand, type CommandOptions } from '../kernel/command';
import { applyChanges } from '../kernel/levels';
import { productBySku } from '../kernel/lookup';
import { ownerKeyOf } from '../kernel/ownership';
import { qty, reference, sku, storefrontChannel, warehouseCode } from '../kernel/schemas';
import { deferred, together } from '../kernel/together';

export const DEFAULT_HOLD_TTL_SECONDS = 900;
export const MAX_HOLD_TTL_SECONDS = 7 * 24 * 3600;

export const reserveInput = z.object({
  sku,
  qty,
  // How long the cart hold lasts; the sweeper releases it after that.
  ttlSeconds: z
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(MAX_HOLD_TTL_SECONDS, `must be at most ${MAX_HOLD_TTL_SECONDS} (7 days)`)
    .default(DEFAULT_HOLD_TTL_SECONDS),
  reference,
  // Hold only in this warehouse's sellable locations.
  warehouse: warehouseCode.optional(),
  // Hold for this storefront channel: only in its warehouses, and never its last `buffer` units.
  channel: storefrontChannel
    .optional()
    .meta({ description: "A storefront channel (its key): hold only in the channel's warehouses, and never the last units it keeps back (its buffer). Default: every warehouse." }),
});
export type ReserveInput = z.input<typeof reserveInput>;

export type ReserveResult = {
  // The hold's id: pass it to release.
  id: string;
  sku: string;
  qty: number;
  expiresAt: string;
  reference: string | null;
  allocations: Allocation[];
};

// A cart hold: all of qty is held (split over locations by the allocation rule) or nothing is.
export function reserve(db: Db, input: ReserveInput, opts: CommandOptions): Promise<ReserveResult> {
  return runCommand(db, { name: 'reserve', schema: reserveInput }, input, opts, async (tx, i, ctx) => {
    // The scope first (no statement at all unless a warehouse or channel is named), then the product with its locked
    // candidate levels in one round trip. An unknown SKU is still the refusal given before an unknown scope.
    const scopeOf = await deferred(writeScope(tx, { warehouse: i.warehouse, channel: i.channel, requireChannel: true }));
    const scope = await scopeOrRefusal(scopeOf, () => productBySku(tx, i.sku));
    const [product, candidates] = await together(productBySku(tx, i.sku), lockCandidates(tx, { skus: [i.sku] }, { warehouseIds: scope.warehouseIds }));
    const plan = planAllocation(candidates, product.id, i.qty, { buffer: scope.buffer });
    if (plan.filled < i.qty) throw notEnough(product.sku, i.qty, plan.available, scope.where);
    const holdId = randomUUID();
    const expiresAt = new Date(ctx.now.getTime() + i.ttlSeconds * 1000);
    // The hold rows do not wait for the level changes' answers: sent with them, they cost no round trip of their own.
    await together(
      applyChanges(tx, ctx, holdChanges(plan.picks, 'reservation', { referenceType: 'hold', referenceId: holdId })),
      tx.insert(reservations).values(
        plan.picks.map((p) => ({
          productId: product.id,
          locationId: p.candidate.locationId,
          qty: p.qty,
          reference: i.reference ?? null,
          holdId,
          expiresAt,
          createdBy: ctx.actor.label,
          ownerKeyId: ownerKeyOf(ctx.actor),
        })),
      ),
    );
    return {
      id: holdId,
      sku: product.sku,
      qty: i.qty,
      expiresAt: expiresAt.toISOString(),
      reference: i.reference ?? null,
      allocations: describePicks(plan.picks),
    };
  });
}

async function scopeOrRefusal<T>(scopeOf: () => T, product: () => Promise<unknown>): Promise<T> {
  try {
    return scopeOf();
  } catch (e) {
    await product();
    throw e;
  }
}
