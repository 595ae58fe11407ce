// Idempotency records are kept for a retention window (IDEMPOTENCY_RETENTION_DAYS, default 7): a retry within it
// replays the stored answer, a key older than that is forgotten and a request carrying it again runs as new.
// Without pruning the table (and its primary-key index) grows with every write the API ever took.
import '#server-only';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { idempotencyKeys } from '@/db/schema';
import { validationError } from '../kernel/errors';

export const DEFAULT_RETENTION_DAYS = 7;
const BATCH = 5_000;

export const pruneInput = z.object({
  retentionDays: z.number().int().min(1, 'idempotency records are kept at least a day').max(3650).default(DEFAULT_RETENTION_DAYS),
  // Records older than this instant minus the retention are removed (default: the database's now).
  now: z.date().optional(),
});

// Deletes in batches so a first run on a large backlog never holds one long transaction; returns how many it removed.
export async function pruneIdempotencyKeys(db: Db, input: z.input<typeof pruneInput> = {}): Promise<number> {
  const parsed = pruneInput.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error);
  const { retentionDays, now } = parsed.data;
  const cutoff = sql`${now ? sql`${now.toISOString()}::timestamptz` : sql`now()`} - make_interval(days => ${retentionDays})`;
  let removed = 0;
  for (;;) {
    const rows = await db.execute<{ n: number }>(sql`
      WITH gone AS (
        DELETE FROM ${idempotencyKeys} WHERE ctid = ANY (ARRAY(
          SELECT ctid FROM ${idempotencyKeys} WHERE ${idempotencyKeys.createdAt} < ${cutoff} LIMIT ${BATCH}))
        RETURNING 1)
      SELECT count(*)::int AS n FROM gone`);
    removed += rows[0].n;
    if (rows[0].n < BATCH) return removed;
  }
}

// The setting, read once at start-up: a clear error beats a silently ignored typo.
export function retentionDaysFromEnv(value = process.env.IDEMPOTENCY_RETENTION_DAYS): number {
  if (value === undefined || value === '') return DEFAULT_RETENTION_DAYS;
  const days = Number(value);
  if (!Number.isInteger(days) || days < 1) throw new Error(`IDEMPOTENCY_RETENTION_DAYS must be a whole number of days, at least 1 (got "${value}")`);
  return days;
}
