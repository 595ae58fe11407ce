// GET /api/v1/availability: the storefront read. The realtime sidecar answers it from its change-fed memory with
// no database query; this route forwards to it (origin, validators and client address included) and answers
// from the database itself only while the sidecar cannot (down, or still loading after a restart).
import http from 'node:http';
import https from 'node:https';
import { publicRoute } from '@/server/api/api-route';
import type { Db } from '@/db/client';
import { corsHeaders } from '@/server/http/cors';
import { clientAddress } from '@/server/http/rate-limit';
import { availabilityOf } from '@/server/inventory/read/availability';
import { figuresAnswer, noSuchChannel, preflightAnswer, responseOf } from '@/server/storefront/availability/answer';
import { channelNameOf, parseAvailabilityQuery } from '@/server/storefront/availability/query';
import { corsOriginFor, DEFAULT_CHANNEL, loadChannels, type StorefrontChannel } from '@/server/storefront/channels';

export const dynamic = 'force-dynamic';

const SIDECAR_TIMEOUT_MS = 2000;

const sidecarUrl = () => process.env.REALTIME_INTERNAL_URL ?? `http://127.0.0.1:${process.env.REALTIME_PORT ?? 3001}`;

// Kept-alive connections to the sidecar: a forward costs one write and one read, not a TCP handshake. Plain node:http
// rather than fetch, whose per-call cost (and Next's wrapper around it) is most of a forward's time.
const agents = { http: new http.Agent({ keepAlive: true, maxSockets: 64 }), https: new https.Agent({ keepAlive: true, maxSockets: 64 }) };
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'date']);

// The sidecar's answer, or null when it has none to give (not reachable, or 503 while it catches up).
async function fromSidecar(request: Request): Promise<Response | null> {
  const headers: Record<string, string> = { 'X-Forwarded-For': clientAddress(request) };
  for (const h of ['origin', 'if-none-match', 'access-control-request-method']) {
    const v = request.headers.get(h);
    if (v) headers[h] = v;
  }
  const target = new URL(`/api/v1/availability${new URL(request.url).search}`, sidecarUrl());
  const secure = target.protocol === 'https:';
  try {
    const answer = await new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      const req = (secure ? https : http).request(
        target,
        { method: request.method, headers, agent: secure ? agents.https : agents.http, timeout: SIDECAR_TIMEOUT_MS },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error('the sidecar did not answer in time')));
      req.on('error', reject);
      req.end();
    });
    if (answer.status === 503) return null;
    const out = new Headers();
    for (const [k, v] of Object.entries(answer.headers)) {
      if (v === undefined || HOP_BY_HOP.has(k)) continue;
      for (const one of Array.isArray(v) ? v : [v]) out.append(k, one);
    }
    return new Response(answer.status === 204 || answer.status === 304 ? null : new Uint8Array(answer.body), { status: answer.status, headers: out });
  } catch {
    return null;
  }
}

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
