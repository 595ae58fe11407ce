// What an API request pays before its handler runs: checking its key and counting it against the key's rate limit.
// Measured without HTTP (which costs the same in every variant), on a pool as large as the app's, 10 requests in
// flight, the variants taking turns so the machine's load falls on each alike:
//   before: the key's row read on every request, a token bucket in this process's memory (per-process limit)
//   cached key, memory limit: the key cache alone
//   cached key, PostgreSQL limit: the shared limit in the rate_limits table (the default)
//   cached key, Redis limit: the same in Redis (only with REDIS_URL)
// Each figure: requests a second, Node CPU per request (the app's scarce resource), latency p50/p99.
//   npm run bench:limits -- [--requests 3000] [--rounds 3] [--inflight 10]
import { Redis } from 'ioredis';
import { ApiKeyCache } from '@/server/auth/api-keys';
import { RateLimiter } from '@/server/http/rate-limit';
import { SharedLimit } from '@/server/http/shared-limit';
import { fmt, loadavg, log, num, percentile, printTable } from './support/common';
import { runScenario } from './support/scenario';
import { makeApiKey } from './support/world';

const REQUESTS = num('requests', 3000);
const ROUNDS = num('rounds', 3);
const INFLIGHT = num('inflight', 10);

type Variant = { name: string; request: () => Promise<unknown> };
type Tally = { ms: number[]; wallMs: number; cpuUs: number; n: number };

runScenario('limits', { pool: 10 }, async ({ conn }) => {
  const key = await makeApiKey(conn.db, ['reservations:write']);
  const spec = { name: 'key', points: 100_000_000, durationSeconds: 60, blockLocally: true };
  const uncached = new ApiKeyCache(0);
  const cached = new ApiKeyCache(5_000);
  const memory = new RateLimiter(100_000_000);
  const postgresLimit = new SharedLimit({ db: conn.db }, spec);
  const redis = process.env.REDIS_URL ? new Redis(process.env.REDIS_URL) : undefined;
  const redisLimit = redis ? new SharedLimit({ redis }, spec) : undefined;
  const verified = async (cache: ApiKeyCache) => {
    const row = await cache.verify(conn.db, key.secret);
    if (!row) throw new Error('the key was refused');
    return row;
  };
  const variants: Variant[] = [
    { name: 'before: key read every request, memory limit', request: async () => memory.take((await verified(uncached)).id) },
    { name: 'cached key, memory limit', request: async () => memory.take((await verified(cached)).id) },
    { name: 'cached key, PostgreSQL limit (shared)', request: async () => postgresLimit.take((await verified(cached)).id) },
    ...(redisLimit ? [{ name: 'cached key, Redis limit (shared)', request: async () => redisLimit.take((await verified(cached)).id) }] : []),
  ];
  const tallies = new Map<string, Tally>(variants.map((v) => [v.name, { ms: [], wallMs: 0, cpuUs: 0, n: 0 }]));
  log(`load before: ${loadavg().join(' ')}; ${ROUNDS} rounds of ${REQUESTS} requests per variant, ${INFLIGHT} in flight`);
  for (const v of variants) for (let i = 0; i < 200; i++) await v.request(); // warm-up
  for (let round = 0; round < ROUNDS; round++) {
    for (const v of variants) {
      const t = tallies.get(v.name)!;
      let next = 0;
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: INFLIGHT }, async () => {
          while (next++ < REQUESTS) {
            const s = performance.now();
            await v.request();
            t.ms.push(performance.now() - s);
          }
        }),
      );
      t.wallMs += performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      t.cpuUs += cpu.user + cpu.system;
      t.n += REQUESTS;
    }
  }
  printTable(
    ['before the handler', 'requests/s', 'Node CPU µs/request', 'p50 ms', 'p99 ms'],
    variants.map((v) => {
      const t = tallies.get(v.name)!;
      return [v.name, fmt((t.n / t.wallMs) * 1000), fmt(t.cpuUs / t.n), fmt(percentile(t.ms, 0.5), 2), fmt(percentile(t.ms, 0.99), 2)];
    }),
  );
  log(`load after: ${loadavg().join(' ')}`);
  await redis?.quit();
});
