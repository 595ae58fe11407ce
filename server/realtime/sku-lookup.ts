// SKUs the cache does not hold yet: products created since the snapshot are loaded once; SKUs that do not exist
// are remembered for a while, so a page (or a flood) asking for them again costs the database nothing.
// The database work is bounded whatever the callers do: every caller's SKUs join one batch, at most one lookup is
// in flight and lookups start at most every LOOKUP_INTERVAL_MS; a batch holds at most MAX_BATCH SKUs, and SKUs
// beyond it in a flood are answered as unknown this time without a lookup (they are not remembered as unknown).
import type { AvailabilityCache } from './availability-cache';

const UNKNOWN_SKU_MS = 30_000;
const MAX_UNKNOWN_REMEMBERED = 10_000;
export const LOOKUP_INTERVAL_MS = 100;
const MAX_BATCH = 1000;

export function createSkuLookup(cache: AvailabilityCache, loadSkus: (skus: string[]) => Promise<void>, opts: { intervalMs?: number } = {}) {
  const intervalMs = opts.intervalMs ?? LOOKUP_INTERVAL_MS;
  const unknownUntil = new Map<string, number>();
  const pending = new Set<string>();
  // The lookup that will take what is pending now, and the one running.
  let next: Promise<void> | null = null;
  let running: Promise<void> = Promise.resolve();
  let inFlight = new Set<string>();
  let lastStart = 0;

  function remember(asked: string[]) {
    const now = Date.now();
    for (const s of asked) {
      if (cache.productBySku(s)) continue;
      unknownUntil.delete(s);
      unknownUntil.set(s, now + UNKNOWN_SKU_MS);
      if (unknownUntil.size > MAX_UNKNOWN_REMEMBERED) unknownUntil.delete(unknownUntil.keys().next().value as string);
    }
  }

  function schedule(): Promise<void> {
    next ??= (async () => {
      await running;
      const wait = lastStart + intervalMs - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const batch = [...pending];
      pending.clear();
      next = null;
      lastStart = Date.now();
      inFlight = new Set(batch);
      running = loadSkus(batch)
        .catch(() => {})
        .then(() => {
          remember(batch);
          inFlight = new Set();
        });
      await running;
    })();
    return next;
  }

  return async function ensure(skus: string[]): Promise<void> {
    const now = Date.now();
    let added = false;
    for (const s of skus) {
      if (cache.productBySku(s) || (unknownUntil.get(s) ?? 0) >= now || pending.size >= MAX_BATCH) continue;
      pending.add(s);
      added = true;
    }
    if (added || skus.some((s) => pending.has(s))) await schedule();
    else if (skus.some((s) => inFlight.has(s))) await running;
  };
}
