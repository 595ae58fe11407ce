// GET /api/v1/availability on the sidecar: the public read storefronts poll, answered from the change-fed cache
// with no database query (a SKU the cache has never seen is looked up once, then remembered). The app's route of
// the same name forwards here, so both addresses give the same answer under the same channel rules.
import { createHash } from 'node:crypto';
import type http from 'node:http';
import { availabilityQuery } from '@/server/api/schemas';
import { errorResponse, parseQuery, problemResponse } from '@/server/adapters/middle';
import { addressFrom, type RateLimiter } from '@/server/http/rate-limit';
import { corsHeaders } from '@/server/http/cors';
import type { AvailabilityCache } from './availability-cache';
import type { ChannelDirectory, ResolvedChannel } from './channel-directory';
import type { RealtimeMetrics } from './metrics';

export const AVAILABILITY_PATH = '/api/v1/availability';
// A badge polls only while its socket is down; a short shared cache and an ETag keep those polls cheap.
const CACHE_CONTROL = 'public, max-age=2';

export type AvailabilityHttpDeps = {
  cache: AvailabilityCache;
  channels: ChannelDirectory;
  metrics: RealtimeMetrics;
  limiter: () => RateLimiter;
  ensureSkus: (skus: string[]) => Promise<void>;
  // False until the first snapshot is loaded and while the feed is down: figures could be stale, so say so.
  live: () => boolean;
};

type Answer = { status: number; headers: Record<string, string>; body: string };

export function createAvailabilityHttp(d: AvailabilityHttpDeps) {
  async function answer(req: http.IncomingMessage, url: URL): Promise<Answer> {
    const origin = req.headers.origin;
    const named = url.searchParams.get('channel')?.trim() || undefined;
    const channel = d.channels.resolve(named);
    const cors = corsHeaders(channel && origin && d.channels.allows(channel, origin) ? origin : null);
    try {
      if (req.method === 'OPTIONS') return preflight(cors);
      if (req.method !== 'GET') {
        return fromProblem(problemResponse('validation_failed', 405, 'Use GET.', { errors: [{ field: 'method', message: 'must be GET' }] }, { Allow: 'GET, OPTIONS' }), cors);
      }
      const limit = d.limiter();
      const verdict = limit.take(addressFrom(req.headers['x-forwarded-for'] as string | undefined, req.socket.remoteAddress ?? 'unknown'));
      if (!verdict.ok) {
        const s = verdict.retryAfterSeconds;
        return fromProblem(
          problemResponse('rate_limited', 429, `Too many requests; at most ${limit.perMinute} a minute. Retry after ${s} s.`, { retryAfter: s }, { 'Retry-After': String(s) }),
          cors,
        );
      }
      const query = parseQuery(availabilityQuery, url);
      if (!d.live() || !d.channels.isLoaded) {
        return fromProblem(problemResponse('unavailable', 503, 'Availability is catching up with the database; retry in a second.', {}, { 'Retry-After': '1' }), cors);
      }
      if (!channel) {
        return fromProblem(
          problemResponse('not_found', 404, `No storefront channel ${JSON.stringify(named)}.`, { errors: [{ field: 'channel', message: 'no such channel' }] }),
          cors,
        );
      }
      const skus = [...new Set(query.sku)];
      // Only a SKU the cache has never seen costs an await (and one look-up).
      if (skus.some((sku) => !d.cache.productBySku(sku))) await d.ensureSkus(skus);
      const body = JSON.stringify(figuresOf(d.cache, channel, skus));
      const etag = etagOf(body);
      const headers = { ...cors, ETag: etag, 'Cache-Control': CACHE_CONTROL, 'X-Onhand-Source': 'memory' };
      if (matches(req.headers['if-none-match'], etag)) return { status: 304, headers, body: '' };
      return { status: 200, headers: { ...headers, 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) }, body };
    } catch (e) {
      return fromProblem(errorResponse(e, `${req.method} ${AVAILABILITY_PATH}`), cors);
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

// Items in the order asked, each SKU once; SKUs no product has are listed, not errors.
export function figuresOf(cache: AvailabilityCache, channel: ResolvedChannel, skus: string[]) {
  const items: { sku: string; available: number; status: string; updatedAt: string | null }[] = [];
  const unknown: string[] = [];
  for (const sku of skus) {
    const product = cache.productBySku(sku);
    const f = product && cache.availability(product.id, channel.scope);
    if (!f) unknown.push(sku);
    else items.push({ sku, available: f.available, status: f.status, updatedAt: f.updatedAt === null ? null : new Date(f.updatedAt).toISOString() });
  }
  return { items, unknown };
}

function preflight(cors: Record<string, string>): Answer {
  const headers = { ...cors };
  if (headers['Access-Control-Allow-Origin']) {
    headers['Access-Control-Allow-Methods'] = 'GET, OPTIONS';
    headers['Access-Control-Allow-Headers'] = 'If-None-Match';
    headers['Access-Control-Max-Age'] = '600';
  }
  return { status: 204, headers, body: '' };
}

async function fromProblem(r: Response, cors: Record<string, string>): Promise<Answer> {
  return { status: r.status, headers: { ...Object.fromEntries(r.headers), ...cors }, body: await r.text() };
}

export function etagOf(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

export function matches(ifNoneMatch: string | string[] | null | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return String(ifNoneMatch)
    .split(',')
    .some((t) => {
      const tag = t.trim();
      return tag === '*' || tag === etag || tag === `W/${etag}`;
    });
}
