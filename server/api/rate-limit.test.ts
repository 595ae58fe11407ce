import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as STOCK } from '@/app/api/v1/stock/route';
import { getConnection } from '@/db/client';
import { makeWorld, testConnection, type World } from '@/server/testing/fixtures';
import { RateLimiter, resetRateLimiters } from '@/server/http/rate-limit';
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
    resetRateLimiters();
    w = await makeWorld(conn, { products: 1 });
  });
  afterAll(async () => {
    delete process.env.RATE_LIMIT_KEY_PER_MIN;
    delete process.env.RATE_LIMIT_PUBLIC_PER_MIN;
    resetRateLimiters();
    await conn.close();
    await getConnection().close();
  });

  it('per API key: past the limit, 429 with Retry-After; another key is not affected', async () => {
    const [a, b] = [await makeKey(conn, ['stock:read']), await makeKey(conn, ['stock:read'])];
    const get = (key: typeof a) => call(STOCK, request('GET', `/api/v1/stock?sku=${w.skus[0]}`, { key }));
    expect([(await get(a)).status, (await get(a)).status, (await get(a)).status]).toEqual([200, 200, 200]);
    const limited = await get(a);
    expectProblem(limited, 429, 'rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBe(20);
    expect(limited.body.retryAfter).toBe(20);
    expect((await get(b)).status).toBe(200);
  });

  it('guessing keys is limited per address too', async () => {
    const guess = () => call(STOCK, request('GET', `/api/v1/stock?sku=x`, { key: 'onh_000000000000_' + 'A'.repeat(32), headers: { 'X-Forwarded-For': '10.9.9.9' } }));
    expect([(await guess()).status, (await guess()).status, (await guess()).status]).toEqual([401, 401, 429]);
  });
});
