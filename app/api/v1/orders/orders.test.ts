import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getConnection } from '@/db/client';
import { orderLines, orders } from '@/db/schema';
import { call, expectProblem, makeKey, request, writes, type TestKey } from '@/server/api/test-support';
import { levelsOf, stock } from '@/server/inventory/test-support';
import { ledgerMismatches, makeWorld, testConnection, type World } from '@/server/testing/fixtures';
import { POST as CANCEL } from './[id]/cancel/route';
import { POST } from './route';
import { DELETE as UNHOLD } from '../reservations/[id]/route';
import { POST as HOLD } from '../reservations/route';

const conn = testConnection();
let w: World;
let key: TestKey;
beforeAll(async () => {
  w = await makeWorld(conn, { products: 3 });
  key = await makeKey(conn, ['orders:write']);
  await stock(conn, w, w.skus[0], { 'PICK-01': 4, 'A-01': 6 });
  await stock(conn, w, w.skus[1], { 'A-02': 2 });
});
afterAll(async () => {
  await conn.close();
  await getConnection().close();
});

const place = (body: unknown, idem?: string) => call(POST, request('POST', '/api/v1/orders', { key, body, idem }));
const cancel = (id: string, idem?: string) => call(CANCEL, request('POST', `/api/v1/orders/${id}/cancel`, { key, idem }), { id });
const ref = () => `SO-${crypto.randomUUID().slice(0, 8)}`;

describe('POST /api/v1/orders', () => {
  it('allocates every line and answers 201 with allocations per line, as the database has them', async () => {
    const [a, b] = w.skus;
    const reference = ref();
    const r = await place({ reference, lines: [{ sku: a, qty: 5 }, { sku: b, qty: 2 }] });
    expect(r.status, r.text).toBe(201);
    expect(r.body).toMatchObject({ reference, channel: 'api', status: 'allocated' });
    expect(r.body.lines).toEqual([
      { lineNo: 1, sku: a, qty: 5, allocations: [{ warehouse: w.warehouse, location: 'PICK-01', qty: 4 }, { warehouse: w.warehouse, location: 'A-01', qty: 1 }] },
      { lineNo: 2, sku: b, qty: 2, allocations: [{ warehouse: w.warehouse, location: 'A-02', qty: 2 }] },
    ]);
    const [order] = await conn.db.select().from(orders).where(eq(orders.id, r.body.id));
    expect(order).toMatchObject({ reference, status: 'allocated', createdBy: key.name });
    expect(await conn.db.$count(orderLines, eq(orderLines.orderId, order.id))).toBe(2);
    expect(await levelsOf(conn, w, a)).toEqual({ 'PICK-01': { onHand: 4, reserved: 4 }, 'A-01': { onHand: 6, reserved: 1 } });
  });

  it('all or nothing: 409 insufficient_stock lists each short line with its figures, and nothing is written', async () => {
    const [a, b, c] = w.skus;
    const fp = await writes(conn, w, key);
    const r = await place({ reference: ref(), lines: [{ sku: a, qty: 3 }, { sku: b, qty: 1 }, { sku: c, qty: 2 }, { sku: a, qty: 4 }] });
    expectProblem(r, 409, 'insufficient_stock');
    // Two lines of one SKU are checked as one quantity.
    expect(r.body.lines).toEqual([
      { sku: a, requested: 7, available: 5 },
      { sku: b, requested: 1, available: 0 },
      { sku: c, requested: 2, available: 0 },
    ]);
    expect(await writes(conn, w, key)).toEqual({ ...fp, idempotency: fp.idempotency + 1 });
  });

  it('a reference already used in the channel is 409 conflict naming the order', async () => {
    const reference = ref();
    const first = await place({ reference, lines: [{ sku: w.skus[0], qty: 1 }] });
    const again = await place({ reference, lines: [{ sku: w.skus[0], qty: 1 }] });
    expectProblem(again, 409, 'conflict');
    expect(again.body).toMatchObject({ reference, order: first.body.id, state: 'allocated' });
  });

  it('same key and body: the same 201 and body again, one order', async () => {
    const body = { reference: ref(), lines: [{ sku: w.skus[0], qty: 1 }] };
    const idem = crypto.randomUUID();
    const first = await place(body, idem);
    const fp = await writes(conn, w, key);
    const second = await place(body, idem);
    expect(second.status).toBe(201);
    expect(second.text).toBe(first.text);
    expect(await writes(conn, w, key)).toEqual(fp);
    expectProblem(await place({ ...body, lines: [{ sku: w.skus[0], qty: 2 }] }, idem), 422, 'idempotency_mismatch');
  });
});

describe('checkout: a cart hold, then the order that takes it over', () => {
  it('the order uses the held units; the hold is consumed and cannot be released or used again', async () => {
    const shopKey = await makeKey(conn, ['orders:write', 'reservations:write']);
    const sku = w.skus[2];
    await stock(conn, w, sku, { 'A-01': 2 });
    const hold = await call(HOLD, request('POST', '/api/v1/reservations', { key: shopKey, body: { sku, qty: 2, reference: 'cart-42' } }));
    expect(hold.status, hold.text).toBe(201);
    const order = await call(POST, request('POST', '/api/v1/orders', { key: shopKey, body: { reference: ref(), lines: [{ sku, qty: 2 }], holds: [hold.body.id] } }));
    expect(order.status, order.text).toBe(201);
    expect(await levelsOf(conn, w, sku)).toEqual({ 'A-01': { onHand: 2, reserved: 2 } });
    const late = await call(UNHOLD, request('DELETE', `/api/v1/reservations/${hold.body.id}`, { key: shopKey }), { id: hold.body.id });
    expect(late.body).toMatchObject({ id: hold.body.id, status: 'expired' });
    expect(await levelsOf(conn, w, sku)).toEqual({ 'A-01': { onHand: 2, reserved: 2 } });
    const again = await call(POST, request('POST', '/api/v1/orders', { key: shopKey, body: { reference: ref(), lines: [{ sku, qty: 1 }], holds: [hold.body.id] } }));
    expectProblem(again, 409, 'insufficient_stock');
    const bad = await call(POST, request('POST', '/api/v1/orders', { key: shopKey, body: { reference: ref(), lines: [{ sku, qty: 1 }], holds: ['cart-42'] } }));
    expectProblem(bad, 422, 'validation_failed');
    expect(bad.body.errors).toEqual([{ field: 'holds.0', message: 'must be a reservation id (UUID)' }]);
    expect(await ledgerMismatches(conn, [w.productIds[sku]])).toEqual([]);
  });
});

describe('POST /api/v1/orders refuses bad input, naming the field, and writes nothing', () => {
  const sku = () => w.skus[0];
  const cases: [string, () => unknown, string, string][] = [
    ['negative qty', () => ({ reference: ref(), lines: [{ sku: sku(), qty: -2 }] }), 'lines.0.qty', 'must be at least 1'],
    ['zero qty', () => ({ reference: ref(), lines: [{ sku: sku(), qty: 0 }] }), 'lines.0.qty', 'must be at least 1'],
    ['fractional qty', () => ({ reference: ref(), lines: [{ sku: sku(), qty: 0.25 }] }), 'lines.0.qty', 'must be a whole number'],
    ['huge qty', () => ({ reference: ref(), lines: [{ sku: sku(), qty: 2 ** 32 }] }), 'lines.0.qty', 'must be at most 1,000,000'],
    ['non-numeric qty', () => ({ reference: ref(), lines: [{ sku: sku(), qty: 'two' }] }), 'lines.0.qty', 'must be a number'],
    ['a bad second line', () => ({ reference: ref(), lines: [{ sku: sku(), qty: 1 }, { qty: 1 }] }), 'lines.1.sku', 'SKU is required'],
    ['no lines', () => ({ reference: ref(), lines: [] }), 'lines', 'an order needs at least one line'],
    ['lines not an array', () => ({ reference: ref(), lines: { sku: sku(), qty: 1 } }), 'lines', 'Invalid input: expected array, received object'],
    ['missing reference', () => ({ lines: [{ sku: sku(), qty: 1 }] }), 'reference', 'reference is required'],
    ['blank reference', () => ({ reference: '  ', lines: [{ sku: sku(), qty: 1 }] }), 'reference', 'reference is required'],
  ];
  it.each(cases)('%s: 422 validation_failed', async (_name, body, field, message) => {
    const fp = await writes(conn, w, key);
    const r = await place(body());
    expectProblem(r, 422, 'validation_failed');
    expect(r.body.errors).toContainEqual({ field, message });
    expect(await writes(conn, w, key)).toEqual(fp);
  });

  it('an unknown SKU is 404 naming it; malformed JSON 400; over 500 lines 422; oversized 413; no Idempotency-Key 400', async () => {
    const fp = await writes(conn, w, key);
    const unknown = await place({ reference: ref(), lines: [{ sku: sku(), qty: 1 }, { sku: 'NOPE-1', qty: 1 }] });
    expectProblem(unknown, 404, 'not_found');
    expect(unknown.body).toMatchObject({ sku: 'NOPE-1', skus: ['NOPE-1'] });
    expectProblem(await call(POST, request('POST', '/api/v1/orders', { key, raw: '{"reference": "x", lines: []}' })), 400, 'validation_failed');
    const lines = (n: number) => Array.from({ length: n }, () => ({ sku: sku(), qty: 1 }));
    const tooMany = await place({ reference: ref(), lines: lines(501) });
    expectProblem(tooMany, 422, 'validation_failed');
    expect(tooMany.body.errors).toEqual([{ field: 'lines', message: 'an order has at most 500 lines' }]);
    expectProblem(await place({ reference: ref(), lines: lines(5000) }), 413, 'payload_too_large');
    expectProblem(
      await call(POST, request('POST', '/api/v1/orders', { key, body: { reference: ref(), lines: [{ sku: sku(), qty: 1 }] }, idem: null })),
      400,
      'validation_failed',
    );
    expect(await writes(conn, w, key)).toEqual({ ...fp, idempotency: fp.idempotency + 1 });
  });
});

describe('POST /api/v1/orders/{id}/cancel', () => {
  it('releases what the order holds; cancelling again answers the same and writes nothing', async () => {
    const sku = w.skus[0];
    const before = await levelsOf(conn, w, sku);
    const placed = await place({ reference: ref(), lines: [{ sku, qty: 2 }] });
    expect(placed.status).toBe(201);
    const r = await cancel(placed.body.id);
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({ id: placed.body.id, status: 'cancelled' });
    expect(r.body.released.reduce((s: number, x: { qty: number }) => s + x.qty, 0)).toBe(2);
    expect(await levelsOf(conn, w, sku)).toEqual(before);
    const [order] = await conn.db.select().from(orders).where(eq(orders.id, placed.body.id));
    expect(order.status).toBe('cancelled');
    const fp = await writes(conn, w, key);
    const again = await cancel(placed.body.id);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(r.body);
    expect({ ...(await writes(conn, w, key)), idempotency: fp.idempotency }).toEqual(fp);
    expect(await ledgerMismatches(conn, Object.values(w.productIds))).toEqual([]);
  });

  it('an unknown or malformed order id is 404; the Idempotency-Key is required', async () => {
    expectProblem(await cancel(crypto.randomUUID()), 404, 'not_found');
    expectProblem(await cancel('SO-1'), 404, 'not_found');
    const none = await call(CANCEL, request('POST', `/api/v1/orders/${crypto.randomUUID()}/cancel`, { key, idem: null }), { id: crypto.randomUUID() });
    expectProblem(none, 400, 'validation_failed');
  });
});
