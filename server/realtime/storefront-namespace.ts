// The public `/storefront` namespace: read-only availability per SKU, nothing internal. Changes to one SKU
// within a short tick are conflated into its latest figure: a badge needs the state, not every movement.
import type { Namespace } from 'socket.io';
import { DEFAULT_CHANNEL } from '@/server/storefront/channels';
import {
  MAX_SKUS_PER_SUBSCRIBE,
  rooms,
  type AvailabilityMessage,
  type StorefrontClientEvents,
  type StorefrontServerEvents,
  type SubscribeResult,
} from '@/lib/contracts/realtime';
import { subscribeRequestSchema as request } from '@/lib/contracts/realtime-messages';
import type { AvailabilityCache, Figure } from './availability-cache';
import type { ChannelDirectory, ResolvedChannel } from './channel-directory';
import type { RealtimeMetrics } from './metrics';

export type StorefrontNamespace = Namespace<StorefrontClientEvents, StorefrontServerEvents>;

export type StorefrontDeps = {
  cache: AvailabilityCache;
  metrics: RealtimeMetrics;
  // Which pages may read which channel (the same rule as the REST endpoint's CORS).
  channels: ChannelDirectory;
  originOf: (socket: { conn: object }) => string | undefined;
  // The client's address (server/http/client-address.ts), which the caps below count per.
  addressOf: (socket: { conn: object }) => string;
  limits?: Partial<StorefrontLimits>;
  // Finds SKUs created after the snapshot; resolves once they are in the cache (or known not to exist).
  ensureSkus: (skus: string[]) => Promise<void>;
  tickMs: number;
};

// A storefront page opens one socket and watches the SKUs it shows; a shop's visitors each have their own address.
// Generous for an office behind one NAT, small enough that one machine cannot hold the sidecar's memory hostage.
export type StorefrontLimits = { socketsPerAddress: number; skusPerSocket: number; skusPerAddress: number };
export const defaultStorefrontLimits: StorefrontLimits = { socketsPerAddress: 50, skusPerSocket: 1000, skusPerAddress: 2000 };
// A public namespace: bound what one socket can ask of the database, and remember SKUs that do not exist.
const SUBSCRIBES_PER_WINDOW = 30;
const WINDOW_MS = 10_000;

export function setupStorefrontNamespace(nsp: StorefrontNamespace, d: StorefrontDeps) {
  const dirty = new Set<number>();
  const lastSent = new Map<string, string>();
  let timer: NodeJS.Timeout | null = null;
  let lastFlush = 0;
  // Room → channel key, so a flush sums a room's figure over that channel's warehouses as configured now;
  // SKU → its rooms. The default channel keeps the plain `sku:<sku>` room of the contract.
  const channelOfRoom = new Map<string, string>();
  const roomsOfSku = new Map<string, Set<string>>();
  const skuOfRoom = new Map<string, string>();
  const roomOf = (channel: ResolvedChannel, sku: string) => (channel.key === DEFAULT_CHANNEL ? rooms.sku(sku) : `channel:${channel.key}:${rooms.sku(sku)}`);

  const limits: StorefrontLimits = { ...defaultStorefrontLimits };
  for (const [k, v] of Object.entries(d.limits ?? {})) if (v !== undefined) limits[k as keyof StorefrontLimits] = v;
  // The open sockets of each client address.
  const socketsOf = new Map<string, Set<{ rooms: Set<string> }>>();
  const skusHeldBy = (address: string) => {
    let n = 0;
    for (const s of socketsOf.get(address) ?? []) n += s.rooms.size - 1;
    return n;
  };
  const refuse = (code: 'origin_not_allowed' | 'too_many_connections') => Object.assign(new Error(code), { data: { code } });

  // A page no channel lists gets no socket at all; which channel it may read is checked on each subscribe.
  nsp.use(async (socket, next) => {
    await d.channels.loaded;
    if (!d.channels.anyAllows(d.originOf(socket))) return next(refuse('origin_not_allowed'));
    if ((socketsOf.get(d.addressOf(socket))?.size ?? 0) >= limits.socketsPerAddress) return next(refuse('too_many_connections'));
    next();
  });

  nsp.adapter.on('delete-room', (room: string) => {
    channelOfRoom.delete(room);
    lastSent.delete(room);
    const sku = skuOfRoom.get(room);
    skuOfRoom.delete(room);
    if (sku === undefined) return;
    roomsOfSku.get(sku)?.delete(room);
    if (!roomsOfSku.get(sku)?.size) roomsOfSku.delete(sku);
  });

  function track(room: string, channel: ResolvedChannel, sku: string, figure: Shown) {
    if (channelOfRoom.has(room)) return;
    channelOfRoom.set(room, channel.key);
    skuOfRoom.set(room, sku);
    if (!roomsOfSku.has(sku)) roomsOfSku.set(sku, new Set());
    roomsOfSku.get(sku)!.add(room);
    lastSent.set(room, shownOf(figure));
  }

  nsp.on('connection', (socket) => {
    const address = d.addressOf(socket);
    const mine = socketsOf.get(address) ?? new Set();
    socketsOf.set(address, mine);
    mine.add(socket);
    socket.on('disconnect', () => {
      mine.delete(socket);
      if (!mine.size) socketsOf.delete(address);
    });
    // Two handshakes from one address may pass the check together: the later one goes at once.
    if (mine.size > limits.socketsPerAddress) return void socket.disconnect(true);
    let windowStart = Date.now();
    let calls = 0;
    socket.on('subscribe', (raw, ack) => {
      const reply = (r: SubscribeResult) => typeof ack === 'function' && ack(r);
      // Whatever a page sends, a subscribe answers and never rejects unhandled.
      subscribe(raw, reply).catch(() => reply({ ok: false, error: 'invalid', message: 'Send { skus: string[], channel?: string }.' }));
    });
    const subscribe = async (raw: unknown, reply: (r: SubscribeResult) => void) => {
      if (Date.now() - windowStart > WINDOW_MS) {
        windowStart = Date.now();
        calls = 0;
      }
      if (++calls > SUBSCRIBES_PER_WINDOW) return reply({ ok: false, error: 'rate_limited', message: 'Too many subscribes; batch SKUs into one call.' });
      const parsed = request.safeParse(raw);
      if (!parsed.success) {
        const tooMany = parsed.error.issues.some((i) => i.code === 'too_big' && i.path[0] === 'skus' && i.path.length === 1);
        return reply(
          tooMany
            ? { ok: false, error: 'too_many_skus', message: `At most ${MAX_SKUS_PER_SUBSCRIBE} SKUs per subscribe.` }
            : { ok: false, error: 'invalid', message: 'Send { skus: string[], channel?: string }.' },
        );
      }
      // A socket may arrive while a restarted sidecar is still reading its snapshot: wait for the channels.
      await d.channels.loaded;
      const channel = d.channels.resolve(parsed.data.channel);
      if (!channel) return reply({ ok: false, error: 'unknown_channel', message: `No channel ${parsed.data.channel}.` });
      if (!d.channels.allows(channel, d.originOf(socket))) {
        return reply({ ok: false, error: 'origin_not_allowed', message: `This page's origin is not allowed on channel ${channel.key}.` });
      }
      const skus = [...new Set(parsed.data.skus)];
      await d.ensureSkus(skus);
      const items: AvailabilityMessage[] = [];
      const unknown: string[] = [];
      for (const sku of skus) {
        const product = d.cache.productBySku(sku);
        const figure = product && d.cache.availability(product.id, channel.scope);
        if (!figure) {
          unknown.push(sku);
          continue;
        }
        const room = roomOf(channel, sku);
        if (!socket.rooms.has(room) && socket.rooms.size > limits.skusPerSocket) {
          return reply({ ok: false, error: 'too_many_skus', message: `At most ${limits.skusPerSocket} SKUs per connection.` });
        }
        if (!socket.rooms.has(room) && skusHeldBy(address) >= limits.skusPerAddress) {
          return reply({ ok: false, error: 'too_many_skus', message: `At most ${limits.skusPerAddress} SKUs per address.` });
        }
        await socket.join(room);
        track(room, channel, sku, figure);
        items.push(publicOf(figure, channel.key));
      }
      reply({ ok: true, items, unknown });
    };

    socket.on('unsubscribe', (raw, ack) => {
      const parsed = request.safeParse(raw);
      const channel = parsed.success ? d.channels.resolve(parsed.data.channel) : null;
      if (parsed.success && channel) for (const sku of parsed.data.skus) void socket.leave(roomOf(channel, sku));
      if (typeof ack === 'function') ack({ ok: true });
    });
  });

  function flush() {
    timer = null;
    lastFlush = Date.now();
    const byRoom = nsp.adapter.rooms;
    for (const productId of dirty) {
      const product = d.cache.product(productId);
      if (!product) continue;
      for (const room of roomsOfSku.get(product.sku) ?? []) {
        const channel = d.channels.resolve(channelOfRoom.get(room));
        const members = byRoom.get(room)?.size ?? 0;
        const figure = channel && members && d.cache.availability(productId, channel.scope);
        if (!figure) continue;
        // Only what a badge shows counts as a change; a movement between unsellable bins is not one.
        const shown = shownOf(figure);
        if (lastSent.get(room) === shown) continue;
        lastSent.set(room, shown);
        nsp.to(room).emit('availability', publicOf(figure, channel.key));
        d.metrics.broadcasts.inc({ event: 'availability' });
        d.metrics.messagesOut.inc({ event: 'availability' }, members);
      }
    }
    dirty.clear();
  }

  return {
    productChanged(productId: number) {
      dirty.add(productId);
      // Leading edge: a lone change goes out at once; a burst then waits for the rest of the tick.
      timer ??= setTimeout(flush, Math.max(0, lastFlush + d.tickMs - Date.now()));
    },
    // A channel's warehouses or threshold may have changed: every watched figure is worked out again.
    channelsChanged() {
      for (const sku of roomsOfSku.keys()) {
        const product = d.cache.productBySku(sku);
        if (product) this.productChanged(product.id);
      }
    },
    resync(at: string) {
      nsp.emit('resync', { reason: 'feed_resubscribed', at });
    },
    close() {
      if (timer) clearTimeout(timer);
    },
  };
}

type Shown = Pick<Figure, 'available' | 'status'>;
const shownOf = (f: Shown) => `${f.available}|${f.status}`;
// Exactly the public message: the cache's figure also carries the time the REST answer shows.
const publicOf = (f: Figure, channel: string): AvailabilityMessage => ({ sku: f.sku, channel, available: f.available, status: f.status, version: f.version });
