// Limits shared by every app process, through rate-limiter-flexible: counters in PostgreSQL (the rate_limits
// table, RateLimiterDrizzle) by default, in Redis (RateLimiterRedis) when REDIS_URL is set. N processes behind a
// load balancer then allow N requests for a limit of N, not N times it.
// Cost: one round trip to the store per counted request (an upsert on an unlogged table, or one Redis script).
// Two options of the library keep it cheap and available:
// - in-memory block on consumed: once a client has used its allowance, this process refuses it without asking
//   the store until the window ends, so a client hammering past its limit costs nothing;
// - an insurance limiter in this process's memory with the same allowance answers while the store does not
//   (the database or Redis down or slow): limits are then per process again rather than failing every request.
import { Redis } from 'ioredis';
import { RateLimiterDrizzle, RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Db } from '@/db/client';
import { rateLimits } from '@/db/schema';

export type RateLimitDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

// Where the counters live: the app's database, or a Redis client.
export type LimitStore = { db: Db } | { redis: Redis };

export type LimitSpec = {
  // Names the counter family (part of the stored key): 'key', 'address', 'sign-in:account', …
  name: string;
  points: number;
  durationSeconds: number;
  // Refuse locally once the allowance is used (see above). Off for counters that are only read (sign-in).
  blockLocally?: boolean;
};

// A fixed window of `points` per `durationSeconds` for each client; the whole allowance may be spent at once.
export class SharedLimit {
  private readonly limiter: RateLimiterAbstract;

  constructor(store: LimitStore, readonly spec: LimitSpec) {
    // RATE_LIMIT_PREFIX separates deployments (or test files) that share one database or Redis.
    const keyPrefix = `${process.env.RATE_LIMIT_PREFIX ?? ''}${spec.name}`;
    const common = {
      keyPrefix,
      points: spec.points,
      duration: spec.durationSeconds,
      inMemoryBlockOnConsumed: spec.blockLocally ? spec.points : undefined,
      insuranceLimiter: new RateLimiterMemory({ keyPrefix, points: spec.points, duration: spec.durationSeconds }),
    };
    this.limiter =
      'redis' in store
        ? new RateLimiterRedis({ ...common, storeClient: store.redis })
        : new RateLimiterDrizzle({ ...common, storeClient: store.db, schema: rateLimits });
  }

  // Counts one request (or `cost`) for the client; refused with the seconds until the window ends.
  async take(client: string, cost = 1): Promise<RateLimitDecision> {
    try {
      await this.limiter.consume(client, cost);
      return { ok: true };
    } catch (e) {
      if (e instanceof RateLimiterRes) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(e.msBeforeNext / 1000)) };
      throw e;
    }
  }

  // Seconds until the client may be counted again, without counting: 0 when it has allowance left.
  async wait(client: string): Promise<number> {
    const res = await this.limiter.get(client);
    if (!res || res.consumedPoints < this.spec.points) return 0;
    return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
  }
}

// Per process, on globalThis: the app server loads the /api/v1 handlers itself (server/http/lean-api.ts) while
// Next's bundle holds its own copy of this module, and one process must count and block with one set of limiters.
const global = globalThis as unknown as { onhandRedis?: Redis; onhandSharedLimits?: Map<string, SharedLimit> };

// REDIS_URL set: one Redis connection per process for every shared limit; else the app's database.
export function defaultLimitStore(db: () => Db): LimitStore {
  const url = process.env.REDIS_URL;
  if (!url) return { db: db() };
  // Commands wait for the connection while it is being made (so the first requests of a process are counted in
  // Redis too), but fail after one reconnect attempt: then the insurance limiter answers, instead of requests
  // queueing behind a Redis that is away.
  global.onhandRedis ??= new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 2_000 });
  return { redis: global.onhandRedis };
}

function envInt(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : fallback;
}

const made = (global.onhandSharedLimits ??= new Map<string, SharedLimit>());

// One limiter per family and allowance, made on first use (the environment is read then).
export function sharedLimit(spec: LimitSpec, db: () => Db): SharedLimit {
  const id = `${spec.name}/${spec.points}/${spec.durationSeconds}`;
  let limit = made.get(id);
  if (!limit) made.set(id, (limit = new SharedLimit(defaultLimitStore(db), spec)));
  return limit;
}

// Per API key, a minute at a time: the key's own limit (set by an admin) or RATE_LIMIT_KEY_PER_MIN (default
// 3,000). Keys with different limits count in the same row, so a changed limit applies to the current minute.
export const keyPerMinute = (own: number | null) => own ?? envInt('RATE_LIMIT_KEY_PER_MIN', 3000);

// Per client address on the app's public routes, and for guessed API keys: RATE_LIMIT_PUBLIC_PER_MIN (600).
export const addressPerMinute = () => envInt('RATE_LIMIT_PUBLIC_PER_MIN', 600);

// Forgets the limiters so the next request reads the environment again (tests change the limits).
export function resetSharedLimits() {
  made.clear();
}
