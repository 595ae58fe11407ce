// The background work a deployment needs exactly somewhere (in every app process by default, or in one process of
// its own: `npm run start:sweeper` with HOLD_SWEEP_SECONDS=0 on the apps): releasing expired cart holds, and
// pruning idempotency records past their retention. Both are safe to run in several processes at once.
import '#server-only';
import type { Db } from '@/db/client';
import { startHoldSweeper } from './hold-sweeper';
import { pruneIdempotencyKeys, retentionDaysFromEnv } from './prune-idempotency';
import { startRepeating, type Repeating } from './repeat';
import type { SweepResult } from './sweep';

const PRUNE_EVERY_MS = 10 * 60_000;

export function startBackgroundWork(
  db: Db,
  o: { sweepSeconds: number; log: (line: string) => void; onSwept?: (r: SweepResult) => void },
): Repeating {
  const retentionDays = retentionDaysFromEnv();
  const error = (what: string) => (e: unknown) => o.log(`${what}: ${e instanceof Error ? e.message : String(e)}`);
  const sweeper = startHoldSweeper(db, {
    everyMs: o.sweepSeconds * 1000,
    onSwept: (r) => {
      o.onSwept?.(r);
      o.log(`hold sweeper: ${r.holds} expired hold(s) released, ${r.units} unit(s) available again`);
    },
    onError: error('hold sweeper'),
  });
  const pruner = startRepeating(() => pruneIdempotencyKeys(db, { retentionDays }), {
    everyMs: PRUNE_EVERY_MS,
    onResult: (n) => void (n && o.log(`idempotency records: ${n} older than ${retentionDays} day(s) removed`)),
    onError: error('idempotency pruning'),
  });
  return { stop: async () => void (await Promise.all([sweeper.stop(), pruner.stop()])) };
}

// HOLD_SWEEP_SECONDS: how often; 0 (or not a positive number) runs no background work in this process.
export function sweepSecondsFromEnv(value = process.env.HOLD_SWEEP_SECONDS, fallback = 5): number {
  const seconds = Number(value ?? fallback);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : 0;
}
