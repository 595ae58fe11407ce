// Background work in a long-running process (the app): a task run on a timer, one run at a time (the next is
// scheduled only after this one ends, however long it took), never the reason the process stays up.
import '#server-only';

export type Repeating = { stop: () => Promise<void> };

export function startRepeating<T>(task: () => Promise<T>, opts: { everyMs: number; onResult?: (r: T) => void; onError?: (e: unknown) => void }): Repeating {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = task()
      .then((r) => opts.onResult?.(r))
      .catch((e) => opts.onError?.(e))
      .finally(() => {
        if (!stopped) schedule();
      });
  };
  const schedule = () => {
    timer = setTimeout(tick, opts.everyMs);
    timer.unref();
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
