// GET /api/v1/orders and /api/v1/orders/{id}: what a storefront backend reads back about its orders.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getConnection } from '@/db/client';
import { call, expectProblem, makeKey, request, type TestKey } from '@/server/api/test-support';
import { allocateOrder } from '@/server/inventory/commands/allocate-order';
import { cancelOrder } from '@/server/inventory/commands/cancel-order';
import { pick } from '@/server/inventory/commands/pick';
import { shipOrder } from '@/server/inventory/commands/ship-order';
import { opts, stock } from '@/server/inventory/test-support';
import { makeWorld, testConnection, uid, type World } from '@/server/testing/fixtures';
import { GET as ONE } from './[id]/route';
import { GET as LIST } from './route';

const conn = testConnection();
let w: World;
let key: TestKey;
// Orders of this test only: a channel no other test uses.
const channel = `read-${uid().toLowerCase()}`;
beforeAll(async () => {
  w = await makeWorld(conn, { products: 2 });
  key = await makeKey(conn, ['orders:read']);
  await stock(conn, w, w.skus[0], { 'PICK-01': 3, 'A-01': 20 });
  await stock(conn, w, w.skus[1], { 'A-02': 20 });
});
afterAll(async () => {
  await conn.close();
  await getConnection().close();
});

// Orders the storefront's key placed: a key reads only its own.
const byKey = () => ({ actor: { kind: 'api_key' as const, id: key.id, label: key.name } });
const one = (id: string) => call(ONE, request('GET', `/api/v1/orders/${id}`, { key }), { id });
const list = (query: string) => call(LIST, request('GET', `/api/v1/orders?${query}`, { key }));
const place = (reference: string, lines = [{ sku: w.skus[1], qty: 1 }]) => allocateOrder(conn.db, { reference, channel, lines }, byKey());

describe('GET /api/v1/orders/{id}', () => {
  it('answers the order, its lines and where each unit is held, picked units staged in the shipping bin', async () => {
    const [a, b] = w.skus;
    const order = await allocateOrder(conn.db, { reference: `SO-${uid()}`, channel, lines: [{ sku: a, qty: 5 }, { sku: b, qty: 2 }] }, byKey());
    await pick(conn.db, { orderId: order.id, sku: a, warehouse: w.warehouse, location: 'PICK-01', qty: 3 }, opts);

    const r = await one(order.id);
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({ id: order.id, reference: order.reference, channel, status: 'picking' });
    expect(r.body.lines).toEqual([
      {
        lineNo: 1,
        sku: a,
        qty: 5,
        picked: 3,
        short: 0,
        shipped: 0,
        held: [
          { warehouse: w.warehouse, location: 'A-01', qty: 2, staged: false },
          { warehouse: w.warehouse, location: 'SHIP', qty: 3, staged: true },
        ],
      },
      { lineNo: 2, sku: b, qty: 2, picked: 0, short: 0, shipped: 0, held: [{ warehouse: w.warehouse, location: 'A-02', qty: 2, staged: false }] },
    ]);
    // Another storefront's key is told it does not exist.
    const other = await makeKey(conn, ['orders:read']);
    expectProblem(await call(ONE, request('GET', `/api/v1/orders/${order.id}`, { key: other }), { id: order.id }), 404, 'not_found');
    const theirs = await call(LIST, request('GET', `/api/v1/orders?channel=${channel}`, { key: other }));
    expect(theirs.body.items).toEqual([]);
    // Storefront-safe: nothing about who on the staff did what.
    expect(r.text).not.toContain('createdBy');
    expect(r.text).not.toContain('test');
  });

  it('a shipped order holds nothing and says what shipped', async () => {
    const order = await place(`SO-${uid()}`, [{ sku: w.skus[1], qty: 2 }]);
    await pick(conn.db, { orderId: order.id, sku: w.skus[1], warehouse: w.warehouse, location: 'A-02', qty: 2 }, opts);
    await shipOrder(conn.db, { orderId: order.id }, opts);
    const r = await one(order.id);
    expect(r.body).toMatchObject({ status: 'shipped', lines: [{ qty: 2, picked: 2, shipped: 2, held: [] }] });
  });

  it('404 for an id no order has, and for one that is not an id at all', async () => {
    expectProblem(await one('00000000-0000-4000-8000-000000000000'), 404, 'not_found');
    expectProblem(await one('SO-1'), 404, 'not_found');
  });
});

describe('GET /api/v1/orders', () => {
  it('pages newest first by cursor, never repeating or skipping an order', async () => {
    const placed: string[] = [];
    for (let n = 0; n < 5; n++) placed.push((await place(`PG-${uid()}`)).id);
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const r = await list(`channel=${channel}&status=allocated&limit=2${after ? `&after=${after}` : ''}`);
      expect(r.status, r.text).toBe(200);
      expect(r.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...r.body.items.map((o: { id: string }) => o.id));
      after = r.body.nextCursor;
      pages++;
    } while (after && pages < 20);
    expect(seen.slice(0, 5)).toEqual([...placed].reverse());
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('filters by exact reference and by state', async () => {
    const kept = await place(`REF-${uid()}`);
    const gone = await place(`REF-${uid()}`);
    await cancelOrder(conn.db, { id: gone.id }, opts);
    const byRef = await list(`reference=${kept.reference}`);
    expect(byRef.body.items.map((o: { id: string }) => o.id)).toEqual([kept.id]);
    expect((await list(`reference=${kept.reference.slice(0, -1)}`)).body.items).toEqual([]);
    const cancelled = await list(`channel=${channel}&status=cancelled`);
    expect(cancelled.body.items.map((o: { id: string }) => o.id)).toEqual([gone.id]);
    expect(cancelled.body.items[0].lines[0].held).toEqual([]);
  });

  it('refuses a state that is not one, and a cursor it never gave out, with 422', async () => {
    const bad = await list('status=lost');
    expectProblem(bad, 422, 'validation_failed');
    expect(bad.text).toContain('must be one of open, allocated, picking, picked, shipped, cancelled');
    expectProblem(await list('after=not-a-cursor'), 422, 'validation_failed');
  });

  it('needs the orders:read scope', async () => {
    const writer = await makeKey(conn, ['orders:write']);
    const r = await call(LIST, request('GET', '/api/v1/orders', { key: writer }));
    expectProblem(r, 403, 'forbidden');
  });
});
