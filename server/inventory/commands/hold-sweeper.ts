// Runs sweepExpiredHolds on a timer in a long-running process (the app), so a cart hold gives its units back soon
// after it expires without anyone asking. Several processes may each run one: the sweep skips rows another holds.
import '#server-only';
import type { Db } from '@/db/client';
import { sweepExpiredHolds, type SweepResult } from './sweep';

export type HoldSweeper = { stop: () => Promise<void> };

export function startHoldSweeper(
  db: Db,
  opts: { everyMs: number; onSwept?: (r: SweepResult) => void; onError?: (e: unknown) => void },
): HoldSweeper {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    // One sweep at a time: the next is scheduled only after this one ends, however long it took.
    running = sweepExpiredHolds(db)
      .then((r) => void (r.released && opts.onSwept?.(r)))
      .catch((e) => opts.onError?.(e))
      .finally(() => {
        if (!stopped) schedule();
      });
  };
  const schedule = () => {
    timer = setTimeout(tick, opts.everyMs);
    timer.unref(); // never the reason a process stays up
  };
  schedule();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
