// Runs sweepExpiredHolds on a timer in a long-running process (the app), so a cart hold gives its units back soon
// after it expires without anyone asking. Several processes may each run one: the sweep skips rows another holds.
import '#server-only';
import type { Db } from '@/db/client';
import { startRepeating, type Repeating } from './repeat';
import { sweepExpiredHolds, type SweepResult } from './sweep';

export type HoldSweeper = Repeating;

export function startHoldSweeper(
  db: Db,
  opts: { everyMs: number; onSwept?: (r: SweepResult) => void; onError?: (e: unknown) => void },
): HoldSweeper {
  return startRepeating(() => sweepExpiredHolds(db), { everyMs: opts.everyMs, onResult: (r) => void (r.released && opts.onSwept?.(r)), onError: opts.onError });
}
