// Every /api/v1 handler goes through apiRoute (API key + scope) or publicRoute: authenticate, authorize, rate
// limit, then the Idempotency-Key, body and query, then the handler; every failure becomes problem+json.
import type { z } from 'zod';
import { getDb, type Db } from '@/db/client';
import type { ApiKey } from '@/db/schema';
import { verifyApiKey, type ApiScope } from '@/server/auth/api-keys';
import type { CommandOptions } from '@/server/inventory/kernel/command';
import { logger } from '@/server/observability/log';
import { appMetrics } from '@/server/observability/metrics';
import { withRequest } from '@/server/observability/request-context';
import { errorResponse, parseQuery, parseWith, Refusal } from '@/server/adapters/middle';
import { corsHeaders } from '@/server/http/cors';
import { requestAddress } from '@/server/http/client-address';
import { addressPerMinute, keyPerMinute, sharedLimit, type SharedLimit } from '@/server/http/shared-limit';
import { bearerToken, idempotencyKeyOf, readJsonBody } from './request';

type Params = Record<string, string>;
// Next passes the dynamic segments as a Promise; static routes may be called without a context.
export type RouteContext = { params: Promise<Params> };
export type RouteHandler = (request: Request, context?: RouteContext) => Promise<Response>;

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export type PublicContext<Q> = { request: Request; url: URL; params: Params; query: Q; db: Db };

export type KeyContext<Q, B> = PublicContext<Q> & {
  key: ApiKey;
  body: B;
  // For the core: the key as actor, and the request's Idempotency-Key (required on POST).
  opts: CommandOptions;
};

type PublicDef<QS> = {
  query?: QS;
  // The origin allowed to read the answer (or null), applied to every answer, errors included, so a browser can
  // read them. Worked out before anything else can fail.
  cors?: (request: Request, db: Db) => Promise<string | null>;
  handler: (ctx: PublicContext<Out<QS>>) => Promise<Response>;
};

type KeyDef<QS, BS> = {
  scope: ApiScope;
  query?: QS;
  body?: BS;
  handler: (ctx: KeyContext<Out<QS>, Out<BS>>) => Promise<Response>;
};

export function publicRoute<QS extends z.ZodObject | undefined = undefined>(def: PublicDef<QS>): RouteHandler {
  return (request, context) => withRequest(async (requestId) => {
    const started = performance.now();
    const allow = def.cors ? await def.cors(request, getDb()).catch(() => null) : undefined;
    const extra = allow === undefined ? {} : corsHeaders(allow);
    const response = await guarded(request, async () => {
      await limit(addressLimit(), requestAddress(request.headers));
      const url = new URL(request.url);
      const query = (def.query ? parseQuery(def.query, url) : undefined) as Out<QS>;
      return def.handler({ request, url, params: (await context?.params) ?? {}, query, db: getDb() });
    });
    counted(request, response, requestId, started);
    return withHeaders(response, extra);
  });
}

export function apiRoute<QS extends z.ZodObject | undefined = undefined, BS extends z.ZodType | undefined = undefined>(
  def: KeyDef<QS, BS>,
): RouteHandler {
  return (request, context) => withRequest(async (requestId) => {
    const started = performance.now();
    let keyId: string | undefined;
    const response = await guarded(request, async () => {
      const db = getDb();
      const key = await authenticate(db, request);
      keyId = key.id;
      await limit(sharedLimit({ name: 'key', points: keyPerMinute(key.perMinute), durationSeconds: 60, blockLocally: true }, getDb), key.id);
      if (!key.scopes.includes(def.scope)) {
        throw new Refusal(
          'forbidden',
          403,
          `This API key does not have the ${def.scope} scope. Create a key with it, or use one that has it.`,
          { scope: def.scope },
          { 'WWW-Authenticate': `Bearer realm="onhand", error="insufficient_scope", scope="${def.scope}"` },
        );
      }
      const idempotencyKey = request.method === 'POST' ? idempotencyKeyOf(request) : request.headers.get('idempotency-key')?.trim() || undefined;
      const url = new URL(request.url);
      const query = (def.query ? parseQuery(def.query, url) : undefined) as Out<QS>;
      const body = (def.body ? parseWith(def.body, await readJsonBody(request)) : undefined) as Out<BS>;
      // The request's id is its command's id: the ledger rows it writes carry it (command_id).
      const opts: CommandOptions = { actor: { kind: 'api_key', id: key.id, label: key.name }, idempotencyKey, commandId: requestId };
      return def.handler({ request, url, params: (await context?.params) ?? {}, query, body, key, opts, db });
    });
    // Answers for one key are never for a shared cache.
    if (!response.headers.has('Cache-Control')) response.headers.set('Cache-Control', 'no-store');
    counted(request, response, requestId, started, keyId);
    return response;
  });
}

const accessLog = logger({ log: 'api' });

// Every answer: counted for /metrics, logged with its request id (also sent back as X-Request-Id).
function counted(request: Request, response: Response, requestId: string, started: number, apiKey?: string) {
  appMetrics().apiResponses.inc({ method: request.method, status: String(response.status) });
  response.headers.set('X-Request-Id', requestId);
  const url = new URL(request.url);
  accessLog.info({ requestId, method: request.method, path: url.pathname, status: response.status, ms: Math.round(performance.now() - started), apiKey }, 'api request');
}

async function guarded(request: Request, run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (e) {
    return errorResponse(e, `${request.method} ${new URL(request.url).pathname}`);
  }
}

// A bad or missing key costs the caller's address a token, so guessing keys is rate limited too.
async function authenticate(db: Db, request: Request): Promise<ApiKey> {
  const header = request.headers.get('authorization');
  const secret = bearerToken(request);
  const key = secret ? await verifyApiKey(db, secret) : null;
  if (key) return key;
  await limit(addressLimit(), requestAddress(request.headers));
  if (!header) {
    throw new Refusal('unauthorized', 401, 'Send an API key: Authorization: Bearer <key>.', {}, {
      'WWW-Authenticate': 'Bearer realm="onhand"',
    });
  }
  throw new Refusal('unauthorized', 401, 'The API key is not valid, or it was revoked.', {}, {
    'WWW-Authenticate': 'Bearer realm="onhand", error="invalid_token"',
  });
}

// Shared by every app process (server/http/shared-limit.ts): per key, and per address for public routes and
// guessed keys. The sidecar's availability endpoint keeps its own per-process limit (server/http/rate-limit.ts).
const addressLimit = () => sharedLimit({ name: 'address', points: addressPerMinute(), durationSeconds: 60, blockLocally: true }, getDb);

async function limit(limiter: SharedLimit, client: string) {
  const d = await limiter.take(client);
  if (d.ok) return;
  throw new Refusal(
    'rate_limited',
    429,
    `Too many requests; at most ${limiter.spec.points} a minute. Retry after ${d.retryAfterSeconds} s.`,
    { retryAfter: d.retryAfterSeconds },
    { 'Retry-After': String(d.retryAfterSeconds) },
  );
}

function withHeaders(response: Response, headers: Record<string, string>): Response {
  for (const [k, v] of Object.entries(headers)) {
    if (k === 'Vary' && response.headers.has('Vary')) response.headers.append('Vary', v);
    else response.headers.set(k, v);
  }
  return response;
}

// JSON answers, shaped by the schema the OpenAPI document shows: typed by it at compile time, and parsed through
// it so keys come out in the documented order whether the core answered now or replayed its answer from jsonb.
export function respond<S extends z.ZodType>(schema: S, data: z.input<S>, status = 200, headers: Record<string, string> = {}): Response {
  const shaped = schema.safeParse(data);
  // The change is already committed: a drifted shape is logged and answered as it is, never turned into a 500.
  if (!shaped.success) accessLog.error({ issues: shaped.error.issues }, 'answer does not match its documented schema');
  return Response.json(shaped.success ? shaped.data : data, { status, headers });
}
