import '#server-only';
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import type { Actor } from '../kernel/actor';
import type { Allocation } from '../kernel/allocation';
import { callRequest, runCall, STATUSES, type CommandOptions, type Prepared } from '../kernel/command';
import { ownerKeyOf } from '../kernel/ownership';
import { qty, reference, sku, storefrontChannel, warehouseCode } from '../kernel/schemas';

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

// A cart hold: all of qty is held (split over locations by the allocation rule) or nothing is. The whole command is
// one call of onhand_hold (migration 0023), one statement on the wire; the coalescer sends the same call for many.
export function reserve(db: Db, input: ReserveInput, opts: CommandOptions): Promise<ReserveResult> {
  return runCall(db, { name: 'reserve', schema: reserveInput }, input, opts, (p) => holdCall([{ prepared: p, actor: opts.actor }]));
}

export type HoldRequest = { prepared: Prepared<ReserveInputParsed>; actor: Actor };
type ReserveInputParsed = z.output<typeof reserveInput>;

// One call of onhand_hold for requests of one SKU, warehouse and channel, answered in their order.
export function holdCall(requests: HoldRequest[]): SQL {
  const { input, at } = requests[0].prepared;
  const p = {
    sku: input.sku,
    warehouse: input.warehouse ?? null,
    channel: input.channel ?? null,
    at: at?.toISOString() ?? null,
    statuses: JSON.parse(STATUSES),
    requests: requests.map(({ prepared, actor }) => ({
      ...callRequest(prepared, actor),
      qty: prepared.input.qty,
      ttl: prepared.input.ttlSeconds,
      reference: prepared.input.reference ?? null,
      owner: ownerKeyOf(actor),
    })),
  };
  return sql`SELECT onhand_hold(${JSON.stringify(p)}::jsonb) AS r`;
}
