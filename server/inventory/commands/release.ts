import '#server-only';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '@/db/client';
import { actorRef } from '../kernel/actor';
import type { Allocation } from '../kernel/allocation';
import type { CommandContext } from '../kernel/clock';
import { callRequest, runCall, STATUSES, type CommandOptions } from '../kernel/command';

export const releaseInput = z.object({ id: z.uuid({ error: 'must be a reservation id (UUID)' }) });
export type ReleaseInput = z.input<typeof releaseInput>;

export type ReleaseResult = {
  id: string;
  sku: string;
  qty: number;
  // 'expired' when the sweeper had already released it.
  status: 'released' | 'expired';
  reference: string | null;
  allocations: Allocation[];
};

// Releasing a hold that is no longer active is idempotent: it returns the hold's final state and writes nothing,
// like an HTTP DELETE. A storefront retrying a release, or releasing a cart whose hold just expired, gets the
// answer it wanted instead of an error; the result is the same on every call.
export function release(db: Db, input: ReleaseInput, opts: CommandOptions): Promise<ReleaseResult> {
  // One call of onhand_release (migration 0023): one statement on the wire.
  return runCall(db, { name: 'release', schema: releaseInput }, input, opts, (p) => {
    const call = {
      ...callRequest(p, opts.actor),
      id: p.input.id,
      // Another key's holds are unknown to this one (ownership.ts).
      apiKey: opts.actor.kind === 'api_key' ? opts.actor.id : null,
      at: p.at?.toISOString() ?? null,
      statuses: JSON.parse(STATUSES),
    };
    return sql`SELECT onhand_release(${JSON.stringify(call)}::jsonb) AS r`;
  });
}

type HoldRow = { id: string; holdId: string; productId: number; locationId: number; qty: number };

// Gives hold rows back: their reserved units return through the ledger (kind release, with why) and the rows close.
// The one way a hold ends without shipping: released, expired by the sweeper, or taken over by an order. The rule is
// onhand_close_holds (migration 0023), which onhand_release calls too.
export async function closeHoldRows(
  tx: Tx,
  ctx: CommandContext,
  rows: HoldRow[],
  how: { status: 'released' | 'expired' | 'consumed'; reasonCode: string },
): Promise<void> {
  if (!rows.length) return;
  const changed = await tx.execute<{ product_id: number; location_id: number; warehouse_id: number }>(sql`
    SELECT * FROM onhand_close_holds(${sql.param(rows.map((r) => r.id))}::uuid[], ${how.status}::reservation_status, ${how.reasonCode},
      ${actorRef(ctx.actor)}, ${ctx.commandId}::uuid, ${ctx.backdated ? ctx.now.toISOString() : null}::timestamptz)`);
  for (const c of changed) ctx.touched.push({ productId: c.product_id, locationId: c.location_id, warehouseId: c.warehouse_id });
}
