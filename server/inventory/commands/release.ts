import '#server-only';
import { inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '@/db/client';
import { reservations } from '@/db/schema';
import type { Allocation } from '../kernel/allocation';
import type { CommandContext } from '../kernel/clock';
import { runCommand, type CommandOptions } from '../kernel/command';
import { InventoryError, notFound } from '../kernel/errors';
import { namedHold, selectHolds } from '../kernel/holds';
import { applyChanges } from '../kernel/levels';
import { mayActOn } from '../kernel/ownership';
import { together } from '../kernel/together';

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
  return runCommand(db, { name: 'release', schema: releaseInput }, input, opts, async (tx, i, ctx) => {
    const rows = await lockHolds(tx, [i.id]);
    if (!rows.length || !mayActOn(ctx.actor, rows[0].ownerKeyId)) throw notFound('reservation', i.id);
    if (rows[0].orderLineId) {
      throw new InventoryError('invalid_state', `Reservation ${i.id} holds stock for an order; cancel the order to release it.`, {
        reservation: i.id,
      });
    }
    const active = rows.filter((r) => r.status === 'active');
    if (active.length) await closeHoldRows(tx, ctx, active, { status: 'released', reasonCode: 'released' });
    // The sweeper may have expired part of a hold while this call waited for it: any released part says released.
    const released = active.length > 0 || rows.some((r) => r.status === 'released');
    return {
      id: i.id,
      sku: rows[0].sku,
      qty: rows.reduce((s, r) => s + r.qty, 0),
      status: released ? 'released' : 'expired',
      reference: rows[0].reference,
      allocations: rows.map((r) => ({ warehouse: r.warehouse, location: r.location, qty: r.qty })),
    };
  });
}

type HoldRow = { id: string; holdId: string; productId: number; locationId: number; qty: number };

// Gives hold rows back: their reserved units return through the ledger (kind release, with why) and the rows close.
// The one way a hold ends without shipping: released, expired by the sweeper, or taken over by an order.
export async function closeHoldRows(
  tx: Tx,
  ctx: CommandContext,
  rows: HoldRow[],
  how: { status: 'released' | 'expired' | 'consumed'; reasonCode: string },
): Promise<void> {
  // The rows close in the same round trip as their level changes (sent after them, run after them).
  await together(
    applyChanges(
      tx,
      ctx,
      rows.map((r) => ({
        productId: r.productId,
        locationId: r.locationId,
        kind: 'release' as const,
        onHandDelta: 0,
        reservedDelta: -r.qty,
        reasonCode: how.reasonCode,
        referenceType: 'hold',
        referenceId: r.holdId,
      })),
    ),
    tx
      .update(reservations)
      .set({ status: how.status, closedAt: ctx.now })
      .where(inArray(reservations.id, rows.map((r) => r.id))),
  );
}

// Locks every row of the holds, in id order, so concurrent releases, orders and the sweeper take them one at a time.
export async function lockHolds(tx: Tx, holdIds: string[]) {
  const rows = await selectHolds(tx)
    .where(inArray(reservations.holdId, holdIds))
    .orderBy(reservations.id)
    .for('update', { of: reservations });
  return rows.map(namedHold);
}
