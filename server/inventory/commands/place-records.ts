// What the warehouse and bin commands share beyond master-data.ts (audit rows, stale versions): one lock for their
// uniqueness checks, and "what does this place still hold" for a deactivation.
import '#server-only';
import { and, eq, gt, inArray, or, sql } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { locations, products, reservations, stockLevels } from '@/db/schema';

export { recordChanges, refuseStale } from './master-data';

// Master-data writes are rare and short: one lock makes "no code taken, not even in another letter case" exact
// under concurrency, which a unique index over lower(code) would too, but for one message in one place.
export async function lockPlaces(tx: Tx) {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('onhand:places'))`);
}


export type HeldStock = { location: string; sku: string; onHand: number; reserved: number; holds: number };

// Every (bin, SKU) among these bins with stock on hand, units reserved or open holds, by bin code then SKU.
export async function heldStock(tx: Tx, locationIds: number[]): Promise<HeldStock[]> {
  if (!locationIds.length) return [];
  const [levels, holds] = await Promise.all([
    tx
      .select({ location: locations.code, sku: products.sku, onHand: stockLevels.onHand, reserved: stockLevels.reserved })
      .from(stockLevels)
      .innerJoin(locations, eq(locations.id, stockLevels.locationId))
      .innerJoin(products, eq(products.id, stockLevels.productId))
      .where(and(inArray(stockLevels.locationId, locationIds), or(gt(stockLevels.onHand, 0), gt(stockLevels.reserved, 0)))),
    tx
      .select({ location: locations.code, sku: products.sku, n: sql<number>`count(*)::int` })
      .from(reservations)
      .innerJoin(locations, eq(locations.id, reservations.locationId))
      .innerJoin(products, eq(products.id, reservations.productId))
      .where(and(inArray(reservations.locationId, locationIds), eq(reservations.status, 'active')))
      .groupBy(locations.code, products.sku),
  ]);
  const out = new Map<string, HeldStock>();
  for (const l of levels) out.set(`${l.location}\u0000${l.sku}`, { ...l, holds: 0 });
  for (const h of holds) {
    const key = `${h.location}\u0000${h.sku}`;
    out.set(key, { ...(out.get(key) ?? { location: h.location, sku: h.sku, onHand: 0, reserved: 0 }), holds: h.n });
  }
  return [...out.values()].sort((a, b) => (a.location === b.location ? (a.sku < b.sku ? -1 : 1) : a.location < b.location ? -1 : 1));
}

// "A-01-1: T-1 × 5 (2 reserved), T-2 × 3; A-01-2: T-3, 1 open hold" — at most a few bins named, then a count.
export function describeHeld(held: HeldStock[], withBin: boolean, max = 10): string {
  const item = (h: HeldStock) =>
    `${h.sku} × ${h.onHand}${h.reserved ? ` (${h.reserved} reserved)` : ''}${h.holds ? `, ${h.holds} open hold${h.holds === 1 ? '' : 's'}` : ''}`;
  if (!withBin) return held.slice(0, max).map(item).join('; ') + (held.length > max ? `; and ${held.length - max} more` : '');
  const byBin = new Map<string, HeldStock[]>();
  for (const h of held) byBin.set(h.location, [...(byBin.get(h.location) ?? []), h]);
  const bins = [...byBin.entries()];
  const shown = bins.slice(0, max).map(([bin, items]) => `${bin}: ${items.map(item).join(', ')}`);
  return shown.join('; ') + (bins.length > max ? `; and ${bins.length - max} more bins` : '');
}
