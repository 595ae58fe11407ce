import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getConnection } from '@/db/client';
import { locations, products } from '@/db/schema';
import { call, expectProblem, request } from '@/server/api/test-support';
import { reserve } from '@/server/inventory/reserve';
import { opts, stock } from '@/server/inventory/test-support';
import { makeWorld, testConnection, type World } from '@/server/testing/fixtures';
import { GET, OPTIONS } from './route';

const conn = testConnection();
let w: World;
const SHOP = 'https://shop.example';
beforeAll(async () => {
  process.env.ONHAND_STOREFRONT_ORIGINS = `${SHOP}, HTTPS://Other.example:443/`;
  w = await makeWorld(conn, { bins: ['RECV', 'A-01', 'A-02', 'PICK-01', 'SHIP', 'Q-01', 'B-09'], products: 3 });
  await conn.db.update(locations).set({ sellable: false }).where(eq(locations.id, w.bins['B-09'].id));
  await conn.db.update(products).set({ lowStockThreshold: 6 }).where(eq(products.sku, w.skus[0]));
  await stock(conn, w, w.skus[0], { 'PICK-01': 3, 'A-01': 5, RECV: 50, 'Q-01': 20, 'B-09': 9 });
  await reserve(conn.db, { sku: w.skus[0], qty: 2 }, opts);
  await stock(conn, w, w.skus[2], { 'A-02': 100 });
});
afterAll(async () => {
  await conn.close();
  await getConnection().close();
});

const qs = (skus: string[]) => skus.map((s) => `sku=${encodeURIComponent(s)}`).join('&');
const get = (skus: string[], headers: Record<string, string> = {}) => call(GET, request('GET', `/api/v1/availability?${qs(skus)}`, { headers }));

// Σ(on_hand - reserved) over pick and storage bins flagged sellable, straight from the table.
async function sellableOf(sku: string): Promise<number> {
  const [r] = (await conn.db.execute(sql`
    SELECT coalesce(sum(s.on_hand - s.reserved), 0)::int AS n FROM stock_levels s JOIN locations l ON l.id = s.location_id
    WHERE s.product_id = ${w.productIds[sku]} AND l.sellable AND l.kind IN ('pick', 'storage')`)) as unknown as { n: number }[];
  return r.n;
}

describe('GET /api/v1/availability', () => {
  it('answers without a key: available over sellable locations, a status, and the unknown SKUs', async () => {
    const [low, none, plenty] = w.skus;
    const a = await get([low, none, 'NO-SUCH', plenty, low]);
    expect(a.status, a.text).toBe(200);
    expect(a.body.unknown).toEqual(['NO-SUCH']);
    expect(a.body.items.map((i: { sku: string }) => i.sku)).toEqual([low, none, plenty]);
    expect(a.body.items[0]).toMatchObject({ sku: low, available: 6, status: 'low_stock', updatedAt: expect.any(String) });
    expect(a.body.items[0].available).toBe(await sellableOf(low));
    expect(a.body.items[1]).toEqual({ sku: none, available: 0, status: 'out_of_stock', updatedAt: null });
    expect(a.body.items[2]).toMatchObject({ sku: plenty, available: 100, status: 'in_stock' });
    expect(a.headers.get('cache-control')).toBe('public, max-age=2');
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
    await stock(conn, w, sku, { 'A-01': 1 });
    const changed = await get([sku], { 'If-None-Match': etag });
    expect(changed.status).toBe(200);
    expect(changed.body.items[0].available).toBe(101);
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  it('refuses no SKU, more than 100 SKUs, or a malformed SKU with 422 naming the parameter', async () => {
    const none = await call(GET, request('GET', '/api/v1/availability'));
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
});

describe('availability CORS', () => {
  it('a listed origin may read the answer, errors included; any other origin gets no CORS headers', async () => {
    const ok = await get([w.skus[0]], { Origin: SHOP });
    expect(ok.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(ok.headers.get('vary')).toContain('Origin');
    expect(ok.headers.get('access-control-expose-headers')).toContain('ETag');
    expect((await get([w.skus[0]], { Origin: 'https://other.example' })).headers.get('access-control-allow-origin')).toBe('https://other.example');
    const err = await call(GET, request('GET', '/api/v1/availability', { headers: { Origin: SHOP } }));
    expect(err.status).toBe(422);
    expect(err.headers.get('access-control-allow-origin')).toBe(SHOP);

    const evil = await get([w.skus[0]], { Origin: 'https://evil.example' });
    expect(evil.status).toBe(200);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    expect(evil.headers.get('vary')).toContain('Origin');
  });

  it('answers the preflight for a listed origin only', async () => {
    const pre = (origin: string) =>
      call(OPTIONS, request('OPTIONS', '/api/v1/availability', { headers: { Origin: origin, 'Access-Control-Request-Method': 'GET' } }));
    const ok = await pre(SHOP);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(ok.headers.get('access-control-allow-methods')).toBe('GET, OPTIONS');
    expect(ok.headers.get('access-control-max-age')).toBe('600');
    const no = await pre('https://evil.example');
    expect(no.headers.get('access-control-allow-origin')).toBeNull();
    expect(no.headers.get('access-control-allow-methods')).toBeNull();
  });

  it('allows no origin when ONHAND_STOREFRONT_ORIGINS is unset, and any with *', async () => {
    const saved = process.env.ONHAND_STOREFRONT_ORIGINS;
    delete process.env.ONHAND_STOREFRONT_ORIGINS;
    try {
      expect((await get([w.skus[0]], { Origin: SHOP })).headers.get('access-control-allow-origin')).toBeNull();
      process.env.ONHAND_STOREFRONT_ORIGINS = '*';
      expect((await get([w.skus[0]], { Origin: 'https://anyone.example' })).headers.get('access-control-allow-origin')).toBe('*');
    } finally {
      process.env.ONHAND_STOREFRONT_ORIGINS = saved;
    }
  });
});
