// What the demo storefront shows: a spread of the demo catalogue (plenty, a few left, sold out) and one SKU the
// warehouse does not carry, so every badge state is on the page. A shop has its own catalogue; this one borrows
// names from Onhand's database because it has none.
import { eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { channels, locations, products, stockLevels } from '@/db/schema';
import { availableSql } from '@/server/inventory/kernel/availability-rule';
import { normalizeOrigin } from '@/server/storefront/channels';

export const DEMO_CHANNEL = 'demo';
export const DEMO_LOW_STOCK = 5;
export const RETIRED_SKU = 'RETIRED-0001';

export type ShopItem = { sku: string; name: string; price: string };

export async function pickShowcase(db: Db, skus?: string[]): Promise<ShopItem[]> {
  const available = availableSql();
  const rows = await db
    .select({ sku: products.sku, name: products.name, available })
    .from(products)
    .leftJoin(stockLevels, eq(stockLevels.productId, products.id))
    .leftJoin(locations, eq(locations.id, stockLevels.locationId))
    .where(skus?.length ? inArray(products.sku, skus) : undefined)
    .groupBy(products.id)
    .orderBy(products.sku);
  const item = (r: { sku: string; name: string }, i: number): ShopItem => ({ sku: r.sku, name: r.name, price: `€${(12 + ((i * 7) % 30)).toFixed(2)}` });
  if (skus?.length) {
    const byName = new Map(rows.map((r) => [r.sku, r]));
    return skus.map((s, i) => item(byName.get(s) ?? { sku: s, name: s }, i));
  }
  const plenty = spread(rows.filter((r) => r.available > DEMO_LOW_STOCK), 5);
  const few = spread(rows.filter((r) => r.available > 0 && r.available <= DEMO_LOW_STOCK), 4);
  const none = spread(rows.filter((r) => r.available <= 0), 2);
  return [...plenty, ...few, ...none, { sku: RETIRED_SKU, name: 'Retired Linen Scarf' }].map(item);
}

// n items evenly spaced through the list (a catalogue sorted by SKU starts with a run of bags).
function spread<T>(list: T[], n: number): T[] {
  if (list.length <= n) return list;
  return Array.from({ length: n }, (_, i) => list[Math.floor((i * list.length) / n)]);
}

// The demo channel: every warehouse, "only N left" at 5, readable from the demo storefront's origins. Origins are
// added, never removed, so an admin's own additions survive a restart.
export async function ensureDemoChannel(db: Db, origins: string[]): Promise<void> {
  const wanted = origins.map((o) => normalizeOrigin(o)).filter((o): o is string => !!o);
  await db.transaction(async (tx) => {
    const [row] = await tx.select().from(channels).where(eq(channels.key, DEMO_CHANNEL)).for('update');
    if (!row) {
      await tx.insert(channels).values({ key: DEMO_CHANNEL, name: 'Demo storefront', allowedOrigins: wanted, lowStockThreshold: DEMO_LOW_STOCK });
      return;
    }
    const missing = wanted.filter((o) => !row.allowedOrigins.includes(o));
    if (missing.length) await tx.update(channels).set({ allowedOrigins: [...row.allowedOrigins, ...missing], updatedAt: sql`now()` }).where(eq(channels.id, row.id));
  });
}
