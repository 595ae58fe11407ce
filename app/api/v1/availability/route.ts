import { createHash } from 'node:crypto';
import { publicRoute, respond } from '@/server/api/api-route';
import { preflightResponse } from '@/server/api/cors';
import { availabilityResponse } from '@/server/api/responses';
import { availabilityQuery } from '@/server/api/schemas';
import { availabilityOf } from '@/server/inventory/read/availability';

export const dynamic = 'force-dynamic';

// Storefront badges poll this: a short shared cache and an ETag keep repeated polls cheap.
const CACHE_CONTROL = 'public, max-age=2';

export const GET = publicRoute({
  query: availabilityQuery,
  cors: true,
  handler: async ({ request, query, db }) => {
    const result = await availabilityOf(db, query.sku);
    const etag = `"${createHash('sha256').update(JSON.stringify(result)).digest('base64url').slice(0, 27)}"`;
    const headers = { ETag: etag, 'Cache-Control': CACHE_CONTROL };
    if (matches(request.headers.get('if-none-match'), etag)) return new Response(null, { status: 304, headers });
    return respond(availabilityResponse, result, 200, headers);
  },
});

export const OPTIONS = publicRoute({ cors: true, handler: async ({ request }) => preflightResponse(request, ['GET']) });

function matches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag === etag || tag === `W/${etag}`;
  });
}
