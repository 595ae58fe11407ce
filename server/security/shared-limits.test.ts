// Limits shared by every app process: two limiters on two separate connection pools (or two Redis clients) stand
// for two app processes behind a load balancer. A limit of N allows N between them, not 2N: for an API key's
// requests and for sign-in failures. Against PostgreSQL always; against Redis too when REDIS_URL is set.
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { SignInLimiter } from '@/server/auth/sign-in-limit';
import { SharedLimit, type LimitStore } from '@/server/http/shared-limit';
import { testConnection, uid } from '@/server/testing/fixtures';

type Process = { store: LimitStore; close: () => Promise<unknown> };

const backends: [string, () => Process][] = [
  ['PostgreSQL', () => {
    const conn = testConnection(2);
    return { store: { db: conn.db }, close: () => conn.close() };
  }],
];
if (process.env.REDIS_URL) {
  backends.push(['Redis', () => {
    const redis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: 1 });
    return { store: { redis }, close: () => redis.quit() };
  }]);
}

describe.each(backends)('shared limits in %s', (_name, open) => {
  const [a, b] = [open(), open()];
  afterAll(() => Promise.all([a.close(), b.close()]));

  it('an API key limit of 5 a minute allows 5 requests across two processes, not 10, and both refuse the rest', async () => {
    const spec = { name: 'key', points: 5, durationSeconds: 60, blockLocally: true };
    const [la, lb] = [new SharedLimit(a.store, spec), new SharedLimit(b.store, spec)];
    const key = `test-key-${uid()}`;
    // Ten requests at once, alternating between the processes.
    const decisions = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? la : lb).take(key)));
    expect(decisions.filter((d) => d.ok)).toHaveLength(5);
    for (const l of [la, lb]) {
      const d = await l.take(key);
      expect(d.ok).toBe(false);
      if (!d.ok) expect(d.retryAfterSeconds).toBeGreaterThan(0), expect(d.retryAfterSeconds).toBeLessThanOrEqual(60);
    }
    // Another key has its own allowance.
    expect((await la.take(`test-key-${uid()}`)).ok).toBe(true);
  });

  it('a window that ends gives the allowance back', async () => {
    const spec = { name: 'key', points: 2, durationSeconds: 1, blockLocally: true };
    const [la, lb] = [new SharedLimit(a.store, spec), new SharedLimit(b.store, spec)];
    const key = `test-key-${uid()}`;
    expect([(await la.take(key)).ok, (await lb.take(key)).ok, (await la.take(key)).ok, (await lb.take(key)).ok]).toEqual([true, true, false, false]);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await lb.take(key)).ok).toBe(true);
  });

  it('sign-in: 3 failures for an account, spread over two processes, lock it in both; other accounts are not locked', async () => {
    const limits = [{ max: 3, windowMs: 15 * 60_000 }, { max: 100, windowMs: 60_000 }] as const;
    const [pa, pb] = [new SignInLimiter(a.store, ...limits), new SignInLimiter(b.store, ...limits)];
    const victim = `victim-${uid()}@onhand.test`;
    await pa.failed(victim, '198.51.100.1');
    await pb.failed(victim, '198.51.100.2');
    expect(await pa.retryAfter(victim, '198.51.100.3')).toBe(0);
    await pb.failed(victim.toUpperCase(), '198.51.100.4');
    // Locked in both, from any address, for the rest of the 15 minutes.
    for (const p of [pa, pb]) {
      const wait = await p.retryAfter(victim, '198.51.100.5');
      expect(wait).toBeGreaterThan(14 * 60);
      expect(wait).toBeLessThanOrEqual(15 * 60);
    }
    expect(await pb.retryAfter(`other-${uid()}@onhand.test`, '198.51.100.5')).toBe(0);
  });

  it('sign-in: failures from one address over many accounts and two processes lock that address', async () => {
    const limits = [{ max: 100, windowMs: 60_000 }, { max: 4, windowMs: 60_000 }] as const;
    const [pa, pb] = [new SignInLimiter(a.store, ...limits), new SignInLimiter(b.store, ...limits)];
    const address = `test-${uid()}`;
    await Promise.all([0, 1, 2, 3].map((i) => (i % 2 ? pa : pb).failed(`spray-${i}-${uid()}@onhand.test`, address)));
    expect(await pa.retryAfter(`anyone-${uid()}@onhand.test`, address)).toBeGreaterThan(0);
    expect(await pb.retryAfter(`anyone-${uid()}@onhand.test`, address)).toBeGreaterThan(0);
    expect(await pb.retryAfter(`anyone-${uid()}@onhand.test`, `test-${uid()}`)).toBe(0);
  });
});
