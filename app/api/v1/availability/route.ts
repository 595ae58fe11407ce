// GET /api/v1/availability: the storefront read. The realtime sidecar answers it from its change-fed memory with
// no database query; this route forwards to it (origin, validators and client address included) and answers
// from the database itself only while the sidecar cannot (down, or still loading after a restart).
import { publicRoute } from '@/server/api/api-route';
import type { Db } from '@/db/client';
import { corsHeaders } from '@/server/http/cors';
import { availabilityOf } from '@/server/inventory/read/availability';
import { figuresAnswer, noSuchChannel, preflightAnswer, responseOf } from '@/server/storefront/availability/answer';
import { fromSidecar } from '@/server/storefront/availability/forward-to-sidecar';
import { channelNameOf, parseAvailabilityQuery } from '@/server/storefront/availability/query';
import { corsOriginFor, DEFAULT_CHANNEL, loadChannels, type StorefrontChannel } from '@/server/storefront/channels';

export const dynamic = 'force-dynamic';

// Read once per request: the CORS decision and the answer both need it.
const channelOfRequest = new WeakMap<Request, Promise<StorefrontChannel | null>>();
function channelNamed(request: Request, db: Db): Promise<StorefrontChannel | null> {
  let found = channelOfRequest.get(request);
  if (!found) {
    const key = channelNameOf(new URL(request.url)) ?? DEFAULT_CHANNEL;
    found = loadChannels(db).then((all) => all.find((c) => c.key === key) ?? null);
    channelOfRequest.set(request, found);
  }
  return found;
}

const appOrigin = () => (process.env.ONHAND_URL ? new URL(process.env.ONHAND_URL).origin : undefined);
const allowedFor = async (request: Request, db: Db) => corsOriginFor(await channelNamed(request, db), request.headers.get('origin'), appOrigin());

const fromDatabase = publicRoute({
  cors: allowedFor,
  handler: async ({ request, url, db }) => {
    const query = parseAvailabilityQuery(url);
    const channel = await channelNamed(request, db);
    if (!channel) throw noSuchChannel(query.channel);
    const figures = await availabilityOf(db, query.sku, channel);
    return responseOf(figuresAnswer(figures, 'database', request.headers.get('if-none-match')));
  },
});

export async function GET(request: Request): Promise<Response> {
  return (await fromSidecar(request)) ?? fromDatabase(request);
}

const preflightFromDatabase = publicRoute({ handler: async ({ request, db }) => responseOf(preflightAnswer(corsHeaders(await allowedFor(request, db)))) });

export async function OPTIONS(request: Request): Promise<Response> {
  return (await fromSidecar(request)) ?? preflightFromDatabase(request);
}
