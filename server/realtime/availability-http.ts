// GET /api/v1/availability on the sidecar: the public read storefronts poll, answered from the change-fed cache
// with no database query (a SKU the cache has never seen is looked up once, then remembered). The query, the
// answer and its refusals are public availability's own (server/storefront/availability); the app's route of the
// same name forwards here, so both addresses give the same answer under the same channel rules.
import type http from 'node:http';
import { corsHeaders } from '@/server/http/cors';
import { nodeRequestAddress } from '@/server/http/client-address';
import type { RateLimiter } from '@/server/http/rate-limit';
import {
  catchingUp,
  figuresAnswer,
  noSuchChannel,
  onlyGet,
  preflightAnswer,
  problemAnswer,
  tooManyRequests,
  type Answer,
  type Availability,
} from '@/server/storefront/availability/answer';
import { AVAILABILITY_PATH, channelNameOf, parseAvailabilityQuery } from '@/server/storefront/availability/query';
import type { AvailabilityCache } from './availability-cache';
import type { ChannelDirectory, ResolvedChannel } from './channel-directory';
import type { RealtimeMetrics } from './metrics';

export type AvailabilityHttpDeps = {
  cache: AvailabilityCache;
  channels: ChannelDirectory;
  metrics: RealtimeMetrics;
  limiter: () => RateLimiter;
  ensureSkus: (skus: string[]) => Promise<void>;
  // False until the first snapshot is loaded and while the feed is down: figures could be stale, so say so.
  live: () => boolean;
};

export function createAvailabilityHttp(d: AvailabilityHttpDeps) {
  async function answer(req: http.IncomingMessage, url: URL): Promise<Answer> {
    const origin = req.headers.origin;
    const named = channelNameOf(url);
    const channel = d.channels.resolve(named);
    const cors = corsHeaders(channel && origin && d.channels.allows(channel, origin) ? origin : null);
    try {
      if (req.method === 'OPTIONS') return preflightAnswer(cors);
      if (req.method !== 'GET') throw onlyGet();
      const limit = d.limiter();
      const verdict = limit.take(nodeRequestAddress(req));
      if (!verdict.ok) throw tooManyRequests(limit.perMinute, verdict.retryAfterSeconds);
      const query = parseAvailabilityQuery(url);
      if (!d.live() || !d.channels.isLoaded) throw catchingUp();
      if (!channel) throw noSuchChannel(named);
      const skus = [...new Set(query.sku)];
      // Only a SKU the cache has never seen costs an await (and one look-up).
      if (skus.some((sku) => !d.cache.productBySku(sku))) await d.ensureSkus(skus);
      return figuresAnswer(figuresOf(d.cache, channel, skus), 'memory', req.headers['if-none-match'], cors);
    } catch (e) {
      return problemAnswer(e, `${req.method} ${AVAILABILITY_PATH}`, cors);
    }
  }

  return async function handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL) {
    const a = await answer(req, url);
    d.metrics.httpRequests.inc(statusLabels(a.status));
    res.writeHead(a.status, a.headers);
    res.end(a.body);
  };
}

// Label objects per status, made once: a metric increment per request should not allocate.
const labelsByStatus = new Map<number, { route: string; status: string }>();
const statusLabels = (status: number) => {
  let l = labelsByStatus.get(status);
  if (!l) labelsByStatus.set(status, (l = { route: 'availability', status: String(status) }));
  return l;
};

// The figures from memory, in the contract's shape.
function figuresOf(cache: AvailabilityCache, channel: ResolvedChannel, skus: string[]): Availability {
  const figures: Availability = { items: [], unknown: [] };
  for (const sku of skus) {
    const product = cache.productBySku(sku);
    const f = product && cache.availability(product.id, channel.scope);
    if (!f) figures.unknown.push(sku);
    else figures.items.push({ sku, available: f.available, status: f.status, updatedAt: f.updatedAt === null ? null : new Date(f.updatedAt).toISOString() });
  }
  return figures;
}
