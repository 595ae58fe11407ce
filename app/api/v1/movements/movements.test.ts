import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getConnection } from '@/db/client';
import { call, expectProblem, makeKey, request, writes, type TestKey } from '@/server/api/test-support';
import { levelsOf } from '@/server/inventory/test-support';
import { ledgerMismatches, makeWorld, testConnection, type World } from '@/server/testing/fixtures';
import { GET, POST } from './route';

const conn = testConnection();
let w: World;
let key: TestKey;
beforeAll(async () => {
  w = await makeWorld(conn, { products: 4 });
  key = await makeKey(conn, ['stock:write', 'stock:read']);
});
afterAll(async () => {
  await conn.close();
  await getConnection().close();
});

const move = (body: unknown, idem?: string) => call(POST, request('POST', '/api/v1/movements', { key, body, idem }));
const list = (qs: string) => call(GET, request('GET', `/api/v1/movements?${qs}`, { key }));

describe('POST /api/v1/movements', () => {
  it('receipt, adjustment, transfer and count each apply their command and answer 201 with the figures', async () => {
    const sku = w.skus[0];
    const at = (location: string) => ({ sku, warehouse: w.warehouse, location });
    const r = await move({ kind: 'receipt', ...at('A-01'), qty: 10, reference: 'PO-7' });
    expect(r.status, r.text).toBe(201);
    expect(r.body).toMatchObject({ kind: 'receipt', sku, location: 'A-01', qty: 10, onHand: 10, available: 10, purchaseOrderLine: null });

    const a = await move({ kind: 'adjustment', ...at('A-01'), delta: -3, reason: 'damaged' });
    expect(a.status, a.text).toBe(201);
    expect(a.body).toMatchObject({ kind: 'adjustment', delta: -3, reason: 'damaged', onHand: 7 });

    const t = await move({ kind: 'transfer', sku, from: { warehouse: w.warehouse, location: 'A-01' }, to: { warehouse: w.warehouse, location: 'PICK-01' }, qty: 4 });
    expect(t.status, t.text).toBe(201);
    expect(t.body).toMatchObject({ kind: 'transfer', qty: 4, from: { location: 'A-01', onHand: 3 }, to: { location: 'PICK-01', onHand: 4 } });

    const c = await move({ kind: 'count', ...at('PICK-01'), expected: 4, counted: 5 });
    expect(c.status, c.text).toBe(201);
    expect(c.body).toMatchObject({ kind: 'count', counted: 5, delta: 1, onHand: 5 });

    expect(await levelsOf(conn, w, sku)).toEqual({ 'A-01': { onHand: 3, reserved: 0 }, 'PICK-01': { onHand: 5, reserved: 0 } });
    expect(await ledgerMismatches(conn, [w.productIds[sku]])).toEqual([]);
  });

  it('refusals from the core carry their figures: a stale count is 409 conflict with the current figure', async () => {
    const sku = w.skus[0];
    const c = await move({ kind: 'count', sku, warehouse: w.warehouse, location: 'PICK-01', expected: 9, counted: 1 });
    expectProblem(c, 409, 'conflict');
    expect(c.body).toMatchObject({ current: 5, expected: 9 });
    const a = await move({ kind: 'adjustment', sku, warehouse: w.warehouse, location: 'A-01', delta: -4, reason: 'lost' });
    expectProblem(a, 409, 'insufficient_stock');
    expect(a.body).toMatchObject({ available: 3 });
  });

  it('same key and body applies once and answers the same; another body under it is 422', async () => {
    const sku = w.skus[1];
    const body = { kind: 'receipt', sku, warehouse: w.warehouse, location: 'A-02', qty: 6 };
    const idem = crypto.randomUUID();
    const first = await move(body, idem);
    const second = await move(body, idem);
    expect(second.status).toBe(201);
    expect(second.text).toBe(first.text);
    expect(await levelsOf(conn, w, sku)).toEqual({ 'A-02': { onHand: 6, reserved: 0 } });
    expectProblem(await move({ ...body, qty: 7 }, idem), 422, 'idempotency_mismatch');
    // The key is the caller's, not the command's: reusing it for another kind of change is refused too.
    const other = { kind: 'adjustment', sku, warehouse: w.warehouse, location: 'A-02', delta: -1, reason: 'damaged' };
    expectProblem(await move(other, idem), 422, 'idempotency_mismatch');
    expect(await levelsOf(conn, w, sku)).toEqual({ 'A-02': { onHand: 6, reserved: 0 } });
  });
});

describe('POST /api/v1/movements refuses bad input, naming the field, and writes nothing', () => {
  const place = () => ({ sku: w.skus[2], warehouse: w.warehouse, location: 'A-01' });
  const cases: [string, () => unknown, number, string, string | RegExp][] = [
    ['unknown kind', () => ({ kind: 'teleport', ...place(), qty: 1 }), 422, 'kind', 'must be one of receipt, adjustment, transfer, count'],
    ['missing kind', () => ({ ...place(), qty: 1 }), 422, 'kind', 'must be one of receipt, adjustment, transfer, count'],
    ['receipt, negative qty', () => ({ kind: 'receipt', ...place(), qty: -5 }), 422, 'qty', 'must be at least 1'],
    ['receipt, zero qty', () => ({ kind: 'receipt', ...place(), qty: 0 }), 422, 'qty', 'must be at least 1'],
    ['receipt, fractional qty', () => ({ kind: 'receipt', ...place(), qty: 2.5 }), 422, 'qty', 'must be a whole number'],
    ['receipt, qty over 2^31', () => ({ kind: 'receipt', ...place(), qty: 2 ** 31 + 1 }), 422, 'qty', 'must be at most 1,000,000'],
    ['receipt, qty a string', () => ({ kind: 'receipt', ...place(), qty: '3' }), 422, 'qty', 'must be a number'],
    ['receipt, qty null', () => ({ kind: 'receipt', ...place(), qty: null }), 422, 'qty', 'must be a number'],
    ['receipt, missing location', () => ({ kind: 'receipt', sku: w.skus[2], warehouse: w.warehouse, qty: 1 }), 422, 'location', 'location code is required'],
    ['adjustment, zero delta', () => ({ kind: 'adjustment', ...place(), delta: 0, reason: 'found' }), 422, 'delta', 'must not be zero'],
    ['adjustment, huge delta', () => ({ kind: 'adjustment', ...place(), delta: -(2 ** 40), reason: 'found' }), 422, 'delta', 'must be at least -1,000,000'],
    ['adjustment, unknown reason', () => ({ kind: 'adjustment', ...place(), delta: 1, reason: 'magic' }), 422, 'reason', /must be one of/],
    ['transfer to the same bin', () => ({ kind: 'transfer', sku: w.skus[2], from: { warehouse: w.warehouse, location: 'A-01' }, to: { warehouse: w.warehouse, location: 'A-01' }, qty: 1 }), 422, 'to', 'must be a different location than from'],
    ['transfer, from missing', () => ({ kind: 'transfer', sku: w.skus[2], to: { warehouse: w.warehouse, location: 'A-01' }, qty: 1 }), 422, 'from', /expected object/],
    ['count, negative counted', () => ({ kind: 'count', ...place(), expected: 0, counted: -1 }), 422, 'counted', 'must be 0 or more'],
    ['count, fractional expected', () => ({ kind: 'count', ...place(), expected: 0.5, counted: 1 }), 422, 'expected', 'must be a whole number'],
  ];
  it.each(cases)('%s', async (_name, body, status, field, message) => {
    const fp = await writes(conn, w, key);
    const r = await move(body());
    expectProblem(r, status, 'validation_failed');
    expect(r.body.errors).toContainEqual({ field, message: typeof message === 'string' ? message : expect.stringMatching(message) });
    expect(await writes(conn, w, key)).toEqual(fp);
  });

  it('an unknown SKU, warehouse or location is 404 naming it, and only the refusal is stored', async () => {
    const fp = await writes(conn, w, key);
    const s = await move({ kind: 'receipt', ...place(), sku: 'NOPE', qty: 1 });
    expectProblem(s, 404, 'not_found');
    expect(s.body).toMatchObject({ sku: 'NOPE' });
    const l = await move({ kind: 'receipt', ...place(), location: 'Z-99', qty: 1 });
    expectProblem(l, 404, 'not_found');
    expect(l.body).toMatchObject({ warehouse: w.warehouse, location: 'Z-99' });
    const wh = await move({ kind: 'adjustment', ...place(), warehouse: 'NOWHERE', delta: 1, reason: 'found' });
    expectProblem(wh, 404, 'not_found');
    expect(wh.body).toMatchObject({ warehouse: 'NOWHERE' });
    expect(await writes(conn, w, key)).toEqual({ ...fp, idempotency: fp.idempotency + 3 });
  });

  it('malformed JSON is 400 and an oversized body 413', async () => {
    const fp = await writes(conn, w, key);
    expectProblem(await call(POST, request('POST', '/api/v1/movements', { key, raw: "{kind: 'receipt'}" })), 400, 'validation_failed');
    const note = 'n'.repeat(65 * 1024);
    expectProblem(await move({ kind: 'receipt', ...place(), qty: 1, note }), 413, 'payload_too_large');
    expect(await writes(conn, w, key)).toEqual(fp);
  });
});

describe('GET /api/v1/movements', () => {
  it('pages the ledger by cursor, oldest first, with the kind of caller as actor (never a name)', async () => {
    const sku = w.skus[3];
    for (let i = 1; i <= 5; i++) await move({ kind: 'receipt', sku, warehouse: w.warehouse, location: 'A-01', qty: i });
    const p1 = await list(`sku=${sku}&limit=2`);
    expect(p1.status, p1.text).toBe(200);
    expect(p1.body.items.map((m: { onHandDelta: number }) => m.onHandDelta)).toEqual([1, 2]);
    expect(p1.body.items[0]).toMatchObject({ sku, warehouse: w.warehouse, location: 'A-01', kind: 'receipt', onHandAfter: 1, actor: 'api_key' });
    expect(p1.body.nextCursor).toBe(String(p1.body.items[1].id));
    const p2 = await list(`sku=${sku}&limit=2&after=${p1.body.nextCursor}`);
    const p3 = await list(`sku=${sku}&limit=2&after=${p2.body.nextCursor}`);
    expect(p2.body.items.map((m: { onHandDelta: number }) => m.onHandDelta)).toEqual([3, 4]);
    expect(p3.body.items.map((m: { onHandDelta: number }) => m.onHandDelta)).toEqual([5]);
    expect(p3.body.nextCursor).toBeNull();
    const all = await list(`sku=${sku}`);
    expect(all.body.items).toHaveLength(5);
  });

  it('waits for a transaction that holds an earlier id, so the cursor never skips a row', async () => {
    const sku = w.skus[3];
    const pid = w.productIds[sku];
    const { id: lastId } = (await list(`sku=${sku}`)).body.items.at(-1);
    let commit!: () => void;
    const gate = new Promise<void>((r) => (commit = r));
    let inserted!: () => void;
    const started = new Promise<void>((r) => (inserted = r));
    // A receipt written by hand, in a transaction left open: it takes its id before the one below. Its level is
    // written just before it commits: a level change holds its product's totals row (product_stock) until commit,
    // and the receipt below, on the same product, would wait for it.
    const open = conn.sql.begin(async (tx) => {
      await tx`INSERT INTO stock_movements (product_id, location_id, kind, on_hand_delta, reserved_delta, on_hand_after, reserved_after, version, actor, command_id)
               VALUES (${pid}, ${w.bins['A-02'].id}, 'receipt', 2, 0, 2, 0, 1, 'test', gen_random_uuid())`;
      inserted();
      await gate;
      await tx`INSERT INTO stock_levels (product_id, location_id, on_hand, reserved, version) VALUES (${pid}, ${w.bins['A-02'].id}, 2, 0, 1)`;
    });
    await started;
    expect((await move({ kind: 'receipt', sku, warehouse: w.warehouse, location: 'PICK-01', qty: 9 })).status).toBe(201);
    const t0 = Date.now();
    const page = list(`sku=${sku}&after=${lastId}`);
    setTimeout(commit, 150);
    const r = await page;
    await open;
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    expect(r.body.items.map((m: { location: string; onHandDelta: number }) => [m.location, m.onHandDelta])).toEqual([
      ['A-02', 2],
      ['PICK-01', 9],
    ]);
    expect(await ledgerMismatches(conn, [pid])).toEqual([]);
  });

  it('refuses a bad cursor or limit (422) and an unknown SKU (404)', async () => {
    const bad = await list('after=-1&limit=5000');
    expectProblem(bad, 422, 'validation_failed');
    expect(bad.body.errors).toEqual([
      { field: 'after', message: 'must be a whole number' },
      { field: 'limit', message: 'must be at most 1000' },
    ]);
    expectProblem(await list('limit=0'), 422, 'validation_failed');
    expectProblem(await list('sku=NOPE'), 404, 'not_found');
  });
});
