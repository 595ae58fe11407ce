// SKUs the cache does not hold yet: products created since the snapshot are loaded once; SKUs that do not exist
// are remembered for a while, so a page (or a flood) asking for them again costs the database nothing.
import type { AvailabilityCache } from './availability-cache';

const UNKNOWN_SKU_MS = 30_000;
const MAX_UNKNOWN_REMEMBERED = 10_000;

export function createSkuLookup(cache: AvailabilityCache, loadSkus: (skus: string[]) => Promise<void>) {
  const unknownUntil = new Map<string, number>();
  return async function ensure(skus: string[]): Promise<void> {
    const now = Date.now();
    const ask = skus.filter((s) => !cache.productBySku(s) && (unknownUntil.get(s) ?? 0) < now);
    if (!ask.length) return;
    await loadSkus(ask).catch(() => {});
    for (const s of ask) {
      if (cache.productBySku(s)) continue;
      unknownUntil.delete(s);
      unknownUntil.set(s, now + UNKNOWN_SKU_MS);
      if (unknownUntil.size > MAX_UNKNOWN_REMEMBERED) unknownUntil.delete(unknownUntil.keys().next().value as string);
    }
  };
}
