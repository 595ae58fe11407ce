import '#server-only';
import { and, eq, isNotNull, lte } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { reservations } from '@/db/schema';
import { systemActor } from '../kernel/actor';
import { runCommand, type CommandOptions } from '../kernel/command';
import { validationError } from '../kernel/errors';
import { closeHoldRows } from './release';

const BATCH = 500;

export const sweepInput = z.object({
  // Holds that expired at or before this instant are released (default: now).
  now: z.date().optional(),
  // At most this many reservation rows per call; they are released in transactions of up to 500.
  limit: z.number().int().min(1).max(1_000_000).default(10_000),
});
export type SweepInput = z.input<typeof sweepInput>;

// released: reservation rows (one per location of a hold); holds: distinct holds; units: quantity released.
export type SweepResult = { released: number; holds: number; units: number };

// Releases expired cart holds through the ledger (kind 'release', reason 'expired'). Safe to run from several
// processes at once and alongside every command: rows another transaction holds are skipped, not waited for.
export async function sweepExpiredHolds(
  db: Db,
  input: SweepInput = {},
  opts: CommandOptions = { actor: systemActor('sweeper') },
): Promise<SweepResult> {
  const result = sweepInput.safeParse(input);
  if (!result.success) throw validationError(result.error);
  const parsed = result.data;
  const holds = new Set<string>();
  let released = 0;
  let units = 0;
  while (released < parsed.limit) {
    const size = Math.min(BATCH, parsed.limit - released);
    const batch = await runCommand(db, { name: 'sweepExpiredHolds', schema: sweepInput, counted: false }, { ...input, limit: size }, opts, async (tx, i, ctx) => {
      const now = i.now ?? ctx.now;
      const rows = await tx
        .select()
        .from(reservations)
        .where(and(eq(reservations.status, 'active'), isNotNull(reservations.expiresAt), lte(reservations.expiresAt, now)))
        .orderBy(reservations.expiresAt, reservations.id)
        .limit(i.limit)
        .for('update', { skipLocked: true });
      if (!rows.length) return { holdIds: [] as string[], units: 0, rows: 0 };
      await closeHoldRows(tx, ctx, rows, { status: 'expired', reasonCode: 'expired' });
      return { holdIds: rows.map((r) => r.holdId), units: rows.reduce((s, r) => s + r.qty, 0), rows: rows.length };
    });
    batch.holdIds.forEach((h) => holds.add(h));
    released += batch.rows;
    units += batch.units;
    if (batch.rows < size) break;
  }
  return { released, holds: holds.size, units };
}
