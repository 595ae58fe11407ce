import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getConnection } from '@/db/client';
import { locations, products } from '@/db/schema';
import { call, expectProblem, request, type Answer } from '@/server/api/test-support';
import { resetRateLimiters } from '@/server/http/rate-limit';
import { resetSharedLimits } from '@/server/http/shared-limit';
import { reserve } from '@/server/inventory/commands/reserve';
import { opts, stock } from '@/server/inventory/test-support';
import { makeChannel, startSidecar, type Sidecar } from '@/server/realtime/test-support';
import { makeWorld, testConnection, type World } from '@/server/testing/fixtures';
import { GET, OPTIONS } from './route';

const conn = testConnection();
let w: World;
let sidecar: Sidecar;
const SHOP = 'https://shop.example';
const channel = { shop: '', east: '', strict: '' };
const NOWHERE = 'http://127.0.0.1:9';
// The app and the sidecar share the secret that lets the app name the visitor it forwards for.
process.env.BETTER_AUTH_SECRET ??= 'test-secret-test-secret-test-secret-0123';

beforeAll(async () => {
  w = await makeWorld(conn, { bins: ['RECV', 'A-01', 'A-02', 'PICK-01', 'SHIP', 'Q-01', 'B-09'], products: 3 });
  await conn.db.update(locations).set({ sellable: false }).where(eq(locations.id, w.bins['B-09'].id));
  await conn.db.update(products).set({ lowStockThreshold: 6 }).where(eq(products.sku, w.skus[0]));
  await stock(conn, w, w.skus[0], { 'PICK-01': 3, 'A-01': 5, RECV: 50, 'Q-01': 20, 'B-09': 9 });
  await reserve(conn.db, { sku: w.skus[0], qty: 2 }, opts);
  await stock(conn, w, w.skus[2], { 'A-02': 100 });
  channel.shop = await makeChannel(conn, { origins: [SHOP, 'https://other.example'] });
  // A channel selling from a warehouse that holds none of this stock, and one whose badge says "only N left" at 200.
  const [{ id: otherWarehouse }] = (await conn.db.execute(sql`INSERT INTO warehouses (code, name) VALUES (${`X${w.warehouse}`}, 'Elsewhere') RETURNING id`)) as unknown as { id: number }[];
  channel.east = await makeChannel(conn, { warehouseIds: [otherWarehouse] });
  channel.strict = await makeChannel(conn, { lowStockThreshold: 200 });
  sidecar = await startSidecar();
});
afterAll(async () => {
  await sidecar?.close();
  await conn.close();
  await getConnection().close();
});

const qs = (skus: string[], ch?: string) => [...skus.map((s) => `sku=${encodeURIComponent(s)}`), ...(ch ? [`channel=${ch}`] : [])].join('&');

// Σ(on_hand - reserved) over pick and storage bins flagged sellable, straight from the table.
async function sellableOf(sku: string): Promise<number> {
  const [r] = (await conn.db.execute(sql`
    SELECT coalesce(sum(s.on_hand - s.reserved), 0)::int AS n FROM stock_levels s JOIN locations l ON l.id = s.location_id
    WHERE s.product_id = ${w.productIds[sku]} AND l.sellable AND l.kind IN ('pick', 'storage')`)) as unknown as { n: number }[];
  return r.n;
}

// The same contract whichever answers: the sidecar from memory (forwarded by the app), or the app from the database.
describe.each([
  ['forwarded to the sidecar', () => sidecar.url, 'memory'],
  ['from the database while the sidecar is away', () => NOWHERE, 'database'],
])('GET /api/v1/availability, %s', (_, sidecarUrl, source) => {
  const get = async (skus: string[], headers: Record<string, string> = {}, ch?: string) => {
    process.env.REALTIME_INTERNAL_URL = sidecarUrl();
    return call(GET, request('GET', `/api/v1/availability?${qs(skus, ch)}`, { headers }));
  };
  // The sidecar follows commits through the feed, a few milliseconds behind the database.
  async function eventually(ask: () => Promise<Answer>, ok: (a: Answer) => boolean): Promise<Answer> {
    for (let i = 0; ; i++) {
      const a = await ask();
      if (ok(a) || i > 100) return a;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('answers without a key: available over sellable locations, a status, and the unknown SKUs', async () => {
    const [low, none, plenty] = w.skus;
    const a = await get([low, none, 'NO-SUCH', plenty, low]);
    expect(a.status, a.text).toBe(200);
    expect(a.body.unknown).toEqual(['NO-SUCH']);
    expect(a.body.items.map((i: { sku: string }) => i.sku)).toEqual([low, none, plenty]);
    expect(a.body.items[0]).toMatchObject({ sku: low, available: 6, status: 'low_stock', updatedAt: expect.any(String) });
    expect(a.body.items[0].available).toBe(await sellableOf(low));
    expect(a.body.items[1]).toEqual({ sku: none, available: 0, status: 'out_of_stock', updatedAt: null });
    expect(a.body.items[2]).toMatchObject({ sku: plenty, available: await sellableOf(plenty), status: 'in_stock' });
    expect(a.headers.get('cache-control')).toBe('public, max-age=2');
    expect(a.headers.get('x-onhand-source')).toBe(source);
  });

  it('sums only the channel’s warehouses and uses the channel’s threshold', async () => {
    const [low, , plenty] = w.skus;
    const east = await get([low, plenty], {}, channel.east);
    expect(east.body.items).toMatchObject([
      { sku: low, available: 0, status: 'out_of_stock' },
      { sku: plenty, available: 0, status: 'out_of_stock' },
    ]);
    const strict = await get([plenty], {}, channel.strict);
    expect(strict.body.items[0]).toMatchObject({ available: await sellableOf(plenty), status: 'low_stock' });
    const missing = await get([plenty], {}, 'no-such-channel');
    expectProblem(missing, 404, 'not_found');
    expect(missing.body.errors).toEqual([{ field: 'channel', message: 'no such channel' }]);
  });

  it('gives an ETag and answers 304 to If-None-Match until the figures change', async () => {
    const sku = w.skus[2];
    const first = await get([sku]);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^".+"$/);
    const same = await get([sku], { 'If-None-Match': etag });
    expect(same.status).toBe(304);
    expect(same.text).toBe('');
    expect(same.headers.get('etag')).toBe(etag);
    const before = await sellableOf(sku);
    await stock(conn, w, sku, { 'A-01': 1 });
    const changed = await eventually(
      () => get([sku], { 'If-None-Match': etag }),
      (a) => a.status === 200,
    );
    expect(changed.status).toBe(200);
    expect(changed.body.items[0].available).toBe(before + 1);
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  it('refuses no SKU, more than 100 SKUs, or a malformed SKU with 422 naming the parameter', async () => {
    const none = await get([]);
    expectProblem(none, 422, 'validation_failed');
    expect(none.body.errors).toEqual([{ field: 'sku', message: 'give at least one sku parameter' }]);
    const many = await get(Array.from({ length: 101 }, (_, i) => `S-${i}`));
    expectProblem(many, 422, 'validation_failed');
    expect(many.body.errors).toEqual([{ field: 'sku', message: 'at most 100 SKUs per call' }]);
    expect((await get(Array.from({ length: 100 }, (_, i) => `S-${i}`))).status).toBe(200);
    const bad = await get([w.skus[0], 'semi;colon']);
    expectProblem(bad, 422, 'validation_failed');
    expect(bad.body.errors[0].field).toBe('sku.1');
  });

  it('grants CORS to the channel’s origins only, errors included; any other page gets none', async () => {
    const ok = await get([w.skus[0]], { Origin: SHOP }, channel.shop);
    expect(ok.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(ok.headers.get('vary')).toContain('Origin');
    expect(ok.headers.get('access-control-expose-headers')).toContain('ETag');
    expect((await get([w.skus[0]], { Origin: 'https://other.example' }, channel.shop)).headers.get('access-control-allow-origin')).toBe('https://other.example');
    const err = await get([], { Origin: SHOP }, channel.shop);
    expect(err.status).toBe(422);
    expect(err.headers.get('access-control-allow-origin')).toBe(SHOP);

    const evil = await get([w.skus[0]], { Origin: 'https://evil.example' }, channel.shop);
    expect(evil.status).toBe(200);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    expect(evil.headers.get('vary')).toContain('Origin');
    // The shop's page may read its own channel, not another one that does not list it.
    expect((await get([w.skus[0]], { Origin: SHOP }, channel.east)).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers the preflight for a listed origin only', async () => {
    const pre = (origin: string) => {
      process.env.REALTIME_INTERNAL_URL = sidecarUrl();
      return call(
        OPTIONS,
        request('OPTIONS', `/api/v1/availability?channel=${channel.shop}`, { headers: { Origin: origin, 'Access-Control-Request-Method': 'GET' } }),
      );
    };
    const ok = await pre(SHOP);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(ok.headers.get('access-control-allow-methods')).toBe('GET, OPTIONS');
    expect(ok.headers.get('access-control-max-age')).toBe('600');
    const no = await pre('https://evil.example');
    expect(no.headers.get('access-control-allow-origin')).toBeNull();
    expect(no.headers.get('access-control-allow-methods')).toBeNull();
  });

  it('limits each client address and answers 429 with Retry-After', async () => {
    const saved = process.env.RATE_LIMIT_PUBLIC_PER_MIN;
    process.env.RATE_LIMIT_PUBLIC_PER_MIN = '5';
    // Behind one proxy, which names the client in X-Forwarded-For.
    process.env.TRUST_PROXY = '1';
    resetRateLimiters();
    resetSharedLimits();
    try {
      const from = (ip: string) => get([w.skus[2]], { 'X-Forwarded-For': ip, Origin: SHOP }, channel.shop);
      for (let i = 0; i < 5; i++) expect((await from('203.0.113.7')).status).toBe(200);
      const limited = await from('203.0.113.7');
      expectProblem(limited, 429, 'rate_limited');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(limited.headers.get('access-control-allow-origin')).toBe(SHOP);
      expect((await from('203.0.113.8')).status).toBe(200);
    } finally {
      if (saved === undefined) delete process.env.RATE_LIMIT_PUBLIC_PER_MIN;
      else process.env.RATE_LIMIT_PUBLIC_PER_MIN = saved;
      delete process.env.TRUST_PROXY;
      resetRateLimiters();
      resetSharedLimits();
    }
  });
});
