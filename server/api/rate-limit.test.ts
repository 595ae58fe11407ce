import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as STOCK } from '@/app/api/v1/stock/route';
import { getConnection } from '@/db/client';
import { makeWorld, testConnection, type World } from '@/server/testing/fixtures';
import { RateLimiter } from '@/server/http/rate-limit';
import { resetSharedLimits } from '@/server/http/shared-limit';
import { setApiKeyLimit } from '@/server/auth/api-keys';
import { call, expectProblem, makeKey, request } from './test-support';

describe('RateLimiter', () => {
  it('lets a burst through, then refills at the steady rate and says when to retry', () => {
    let now = 0;
    const l = new RateLimiter(60, 3, () => now);
    expect([l.take('a'), l.take('a'), l.take('a')].every((d) => d.ok)).toBe(true);
    expect(l.take('a')).toEqual({ ok: false, retryAfterSeconds: 1 });
    // Clients have their own buckets.
    expect(l.take('b').ok).toBe(true);
    now += 1000;
    expect(l.take('a').ok).toBe(true);
    expect(l.take('a').ok).toBe(false);
    now += 60_000;
    expect([l.take('a'), l.take('a'), l.take('a'), l.take('a')].map((d) => d.ok)).toEqual([true, true, true, false]);
  });

  it('computes Retry-After from the refill rate', () => {
    const l = new RateLimiter(6, 1, () => 0);
    l.take('a');
    expect(l.take('a')).toEqual({ ok: false, retryAfterSeconds: 10 });
  });
});

describe('429 rate_limited', () => {
  const conn = testConnection();
  let w: World;
  beforeAll(async () => {
    process.env.RATE_LIMIT_KEY_PER_MIN = '3';
    process.env.RATE_LIMIT_PUBLIC_PER_MIN = '2';
    resetSharedLimits();
    w = await makeWorld(conn, { products: 1 });
  });
  afterAll(async () => {
    delete process.env.RATE_LIMIT_KEY_PER_MIN;
    delete process.env.RATE_LIMIT_PUBLIC_PER_MIN;
    resetSharedLimits();
    await conn.close();
    await getConnection().close();
  });

  it('per API key: past the limit, 429 with Retry-After; another key is not affected', async () => {
    const [a, b] = [await makeKey(conn, ['stock:read']), await makeKey(conn, ['stock:read'])];
    const get = (key: typeof a) => call(STOCK, request('GET', `/api/v1/stock?sku=${w.skus[0]}`, { key }));
    expect([(await get(a)).status, (await get(a)).status, (await get(a)).status]).toEqual([200, 200, 200]);
    const limited = await get(a);
    expectProblem(limited, 429, 'rate_limited');
    // The rest of the minute's window.
    const retry = Number(limited.headers.get('retry-after'));
    expect(retry).toBeGreaterThan(50);
    expect(retry).toBeLessThanOrEqual(60);
    expect(limited.body.retryAfter).toBe(retry);
    expect(limited.body.detail).toMatch(/at most 3 a minute/);
    expect((await get(b)).status).toBe(200);
  });

  it("an admin's limit for one key replaces the default for that key", async () => {
    const [a, b] = [await makeKey(conn, ['stock:read']), await makeKey(conn, ['stock:read'])];
    expect(await setApiKeyLimit(conn.db, a.id, 5)).toBe(true);
    const get = (key: typeof a) => call(STOCK, request('GET', `/api/v1/stock?sku=${w.skus[0]}`, { key }));
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await get(a)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    // Lowered again: the key is over its new limit at once.
    expect(await setApiKeyLimit(conn.db, a.id, 2)).toBe(true);
    expect((await get(a)).status).toBe(429);
    expect([(await get(b)).status, (await get(b)).status, (await get(b)).status, (await get(b)).status]).toEqual([200, 200, 200, 429]);
  });

  it('guessing keys is limited per address too', async () => {
    // The counts are shared by every process (and every test file of a run): an address of this test's own.
    process.env.TRUST_PROXY = '1';
    const address = `10.${[1, 2, 3].map(() => Math.floor(Math.random() * 250)).join('.')}`;
    try {
      const guess = (from: string) => call(STOCK, request('GET', `/api/v1/stock?sku=x`, { key: 'onh_000000000000_' + 'A'.repeat(32), headers: { 'X-Forwarded-For': from } }));
      expect([(await guess(address)).status, (await guess(address)).status, (await guess(address)).status]).toEqual([401, 401, 429]);
    } finally {
      delete process.env.TRUST_PROXY;
    }
  });
});
