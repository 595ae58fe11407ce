import type { LevelRow, ProductDetail } from '@/lib/contracts/product';
// How a level change from the realtime feed lands in a cached product (query key ['stock','product',sku]):
// applied when it is the row's next version, ignored when stale, and a gap means the cache must be refetched.

export type LevelChange = { productId: number; locationId: number; onHand: number; reserved: number; version: number; updatedAt?: string };

export type PatchOutcome = { kind: 'applied'; data: ProductDetail } | { kind: 'stale' } | { kind: 'gap' };

export function totalsOf(levels: Pick<LevelRow, 'onHand' | 'reserved' | 'available' | 'sellable'>[]) {
  return {
    onHand: levels.reduce((s, l) => s + l.onHand, 0),
    reserved: levels.reduce((s, l) => s + l.reserved, 0),
    available: levels.reduce((s, l) => s + (l.sellable ? l.available : 0), 0),
  };
}

export function patchProductLevel(data: ProductDetail, change: LevelChange): PatchOutcome {
  if (change.productId !== data.product.id) return { kind: 'stale' };
  const i = data.levels.findIndex((l) => l.locationId === change.locationId);
  // A row we have never seen starts at version 1; anything later means we missed its first messages.
  const cached = i === -1 ? 0 : data.levels[i].version;
  if (change.version <= cached) return { kind: 'stale' };
  if (change.version !== cached + 1 || i === -1) return { kind: 'gap' };
  const levels = data.levels.slice();
  levels[i] = {
    ...levels[i],
    onHand: change.onHand,
    reserved: change.reserved,
    available: change.onHand - change.reserved,
    version: change.version,
    updatedAt: change.updatedAt ?? levels[i].updatedAt,
  };
  return { kind: 'applied', data: { ...data, levels, totals: totalsOf(levels) } };
}
