// What availability answers, whichever process computes the figures: the body's shape, its validators and cache
// headers, the preflight, and the refusals it gives. Plain status, headers and body, so the sidecar writes them
// to Node's response as they are and the app wraps them in a Response.
import { z } from 'zod';
import { stockStatusSchema } from '@/lib/contracts/stock-status';
import { errorResponse, Refusal } from '@/server/adapters/middle';
import { etagOf, matches } from './etag';

export const availabilityResponse = z
  .object({
    items: z.array(
      z.object({
        sku: z.string(),
        available: z.number().int().meta({ description: "Σ(on hand − reserved) over the channel's sellable locations, less the units it keeps back (its buffer)." }),
        status: stockStatusSchema,
        updatedAt: z.string().meta({ format: 'date-time' }).nullable(),
      }),
    ),
    unknown: z.array(z.string()).meta({ description: 'SKUs asked for that no product has.' }),
  })
  .meta({ id: 'Availability' });

// Items in the order asked, each SKU once; SKUs no product has are listed, not errors.
export type Availability = z.output<typeof availabilityResponse>;

export type Answer = { status: number; headers: Record<string, string>; body: string };

// A badge polls only while its socket is down; a short shared cache and an ETag keep those polls cheap.
const CACHE_CONTROL = 'public, max-age=2';

// `source` says which process answered (memory: the sidecar; database: the app while the sidecar cannot).
export function figuresAnswer(
  figures: Availability,
  source: 'memory' | 'database',
  ifNoneMatch: string | string[] | null | undefined,
  cors: Record<string, string> = {},
): Answer {
  const body = JSON.stringify(figures);
  const etag = etagOf(body);
  const headers = { ...cors, ETag: etag, 'Cache-Control': CACHE_CONTROL, 'X-Onhand-Source': source };
  if (matches(ifNoneMatch, etag)) return { status: 304, headers, body: '' };
  return { status: 200, headers: { ...headers, 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) }, body };
}

// Only an origin the channel allows (cors carries its grant) learns what it may send.
export function preflightAnswer(cors: Record<string, string>): Answer {
  const headers = { ...cors };
  if (headers['Access-Control-Allow-Origin']) {
    headers['Access-Control-Allow-Methods'] = 'GET, OPTIONS';
    headers['Access-Control-Allow-Headers'] = 'If-None-Match';
    headers['Access-Control-Max-Age'] = '600';
  }
  return { status: 204, headers, body: '' };
}

// The refusals only availability gives; a bad query or a fault is answered like any other (problemAnswer).
export const noSuchChannel = (name: string | undefined) =>
  new Refusal('not_found', 404, `No storefront channel ${JSON.stringify(name)}.`, { errors: [{ field: 'channel', message: 'no such channel' }] });

// The app's route takes a 503 from the sidecar as "answer from the database instead".
export const catchingUp = () =>
  new Refusal('unavailable', 503, 'Availability is catching up with the database; retry in a second.', {}, { 'Retry-After': '1' });

export const onlyGet = () =>
  new Refusal('validation_failed', 405, 'Use GET.', { errors: [{ field: 'method', message: 'must be GET' }] }, { Allow: 'GET, OPTIONS' });

export const tooManyRequests = (perMinute: number, retryAfterSeconds: number) =>
  new Refusal(
    'rate_limited',
    429,
    `Too many requests; at most ${perMinute} a minute. Retry after ${retryAfterSeconds} s.`,
    { retryAfter: retryAfterSeconds },
    { 'Retry-After': String(retryAfterSeconds) },
  );

// Any failure as problem+json, with the channel's CORS grant so the storefront page can read it.
export async function problemAnswer(e: unknown, where: string, cors: Record<string, string>): Promise<Answer> {
  const r = errorResponse(e, where);
  return { status: r.status, headers: { ...Object.fromEntries(r.headers), ...cors }, body: await r.text() };
}

// For the app's route handlers. The app's server frames the body itself, as it does for every other route.
export function responseOf({ status, headers, body }: Answer): Response {
  const { 'Content-Length': _, ...rest } = headers;
  return new Response(body === '' ? null : body, { status, headers: rest });
}
