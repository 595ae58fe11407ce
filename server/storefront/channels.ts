// Storefront channels as every reader of them sees them: the sidecar (from memory, fed by the change feed), the
// app's availability fallback and the admin screen. One rule decides which browser pages may read a channel.
import { asc } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { channels, channelWarehouses } from '@/db/schema';

export const DEFAULT_CHANNEL = 'default';
export const ANY_ORIGIN = '*';

export type StorefrontChannel = {
  id: number;
  key: string;
  name: string;
  // Empty: every warehouse, including ones added later.
  warehouseIds: number[];
  // Normalised origins (scheme://host[:port]); '*' allows any page.
  allowedOrigins: string[];
  // Null: each product's own low-stock threshold.
  lowStockThreshold: number | null;
  // Units of each product kept back from the channel: its badge and its holds never count the last `buffer`.
  buffer: number;
};

export async function loadChannels(db: Executor): Promise<StorefrontChannel[]> {
  const [rows, links] = await Promise.all([
    db.select().from(channels).orderBy(asc(channels.key)),
    db.select().from(channelWarehouses).orderBy(asc(channelWarehouses.warehouseId)),
  ]);
  return rows.map((c) => ({
    id: c.id,
    key: c.key,
    name: c.name,
    warehouseIds: links.filter((l) => l.channelId === c.id).map((l) => l.warehouseId),
    allowedOrigins: c.allowedOrigins,
    lowStockThreshold: c.lowStockThreshold,
    buffer: c.buffer,
  }));
}

// As browsers send it: scheme://host[:port], lower case, default port dropped, no path. Null when it is not one.
export function normalizeOrigin(origin: string): string | null {
  if (origin === ANY_ORIGIN) return ANY_ORIGIN;
  try {
    const u = new URL(origin);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    return u.origin;
  } catch {
    return null;
  }
}

// The one rule, for the REST endpoint's CORS and the /storefront socket alike: a page may read a channel when its
// origin is listed on the channel (or the channel lists '*'), or it is Onhand's own app. Callers outside a browser
// send no Origin; what they read is public, so they may.
export function channelAllowsOrigin(channel: Pick<StorefrontChannel, 'allowedOrigins'>, origin: string | null | undefined, appOrigin?: string): boolean {
  if (!origin) return true;
  const o = normalizeOrigin(origin);
  if (!o) return false;
  if (appOrigin && o === appOrigin) return true;
  return channel.allowedOrigins.includes(ANY_ORIGIN) || channel.allowedOrigins.includes(o);
}

// The Access-Control-Allow-Origin value for a page, or null when the browser must keep the answer from it.
export function corsOriginFor(channel: Pick<StorefrontChannel, 'allowedOrigins'> | null, origin: string | null | undefined, appOrigin?: string): string | null {
  if (!origin || !channel || !channelAllowsOrigin(channel, origin, appOrigin)) return null;
  return origin;
}
