import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getConnection } from '@/db/client';
import { reservations } from '@/db/schema';
import { call, expectProblem, makeKey, request, writes, type TestKey } from '@/server/api/test-support';
import { levelsOf, movesOf, lastMoveId, stock } from '@/server/inventory/test-support';
import { ledgerMismatches, makeWorld, testConnection, type World } from '@/server/testing/fixtures';
import { DELETE } from './[id]/route';
import { POST } from './route';

const conn = testConnection();
let w: World;
let key: TestKey;
beforeAll(async () => {
  w = await makeWorld(conn, { products: 4 });
  key = await makeKey(conn, ['reservations:write']);
  await stock(conn, w, w.skus[0], { 'PICK-01': 3, 'A-01': 10, RECV: 50 });
});
afterAll(async () => {
  await conn.close();
  await getConnection().close();
});

const reserve = (body: unknown, idem?: string) => call(POST, request('POST', '/api/v1/reservations', { key, body, idem }));
const releaseHold = (id: string) => call(DELETE, request('DELETE', `/api/v1/reservations/${id}`, { key }), { id });

describe('POST /api/v1/reservations', () => {
  it('holds from sellable locations and answers 201 with the id, expiry and allocations, as the database has them', async () => {
    const sku = w.skus[0];
    const before = await lastMoveId(conn);
    const t0 = Date.now();
    const a = await reserve({ sku, qty: 5, ttlSeconds: 60, reference: 'cart-1' });
    expect(a.status, a.text).toBe(201);
    expect(a.headers.get('cache-control')).toBe('no-store');
    expect(a.body).toMatchObject({ sku, qty: 5, reference: 'cart-1' });
    expect(a.body.allocations).toEqual([
      { warehouse: w.warehouse, location: 'PICK-01', qty: 3 },
      { warehouse: w.warehouse, location: 'A-01', qty: 2 },
    ]);
    expect(Date.parse(a.body.expiresAt) - t0).toBeGreaterThan(59_000);
    expect(Date.parse(a.body.expiresAt) - t0).toBeLessThan(61_000);
    expect(await levelsOf(conn, w, sku)).toMatchObject({ 'PICK-01': { onHand: 3, reserved: 3 }, 'A-01': { onHand: 10, reserved: 2 } });
    const rows = await conn.db.select().from(reservations).where(eq(reservations.holdId, a.body.id));
    expect(rows.map((r) => [r.qty, r.status, r.createdBy]).sort()).toEqual([
      [2, 'active', key.name],
      [3, 'active', key.name],
    ]);
    // The ledger names the API key as the actor.
    const moves = await movesOf(conn, w, sku, before);
    expect(moves).toHaveLength(2);
  });

  it('refuses more than is available: 409 insufficient_stock with the available figure, and holds nothing', async () => {
    const sku = w.skus[0];
    const fp = await writes(conn, w, key);
    const a = await reserve({ sku, qty: 9 });
    expectProblem(a, 409, 'insufficient_stock');
    expect(a.body).toMatchObject({ sku, requested: 9, available: 8 });
    // A refusal under an Idempotency-Key is an answer too: it is stored, and nothing else is.
    expect(await writes(conn, w, key)).toEqual({ ...fp, idempotency: fp.idempotency + 1 });
  });

  it('releases with DELETE: 200 with the hold, the units are available again; a second DELETE answers the same', async () => {
    const sku = w.skus[0];
    const held = await reserve({ sku, qty: 4 });
    const before = await levelsOf(conn, w, sku);
    const a = await releaseHold(held.body.id);
    expect(a.status, a.text).toBe(200);
    expect(a.body).toMatchObject({ id: held.body.id, sku, qty: 4, status: 'released' });
    const after = await levelsOf(conn, w, sku);
    const reserved = (l: Record<string, { reserved: number }>) => Object.values(l).reduce((s, x) => s + x.reserved, 0);
    expect(reserved(before) - reserved(after)).toBe(4);
    const moves = await lastMoveId(conn);
    const again = await releaseHold(held.body.id);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(a.body);
    expect(await lastMoveId(conn)).toBe(moves);
    expect(await ledgerMismatches(conn, [w.productIds[sku]])).toEqual([]);
  });

  it('DELETE of an unknown or malformed id is 404 not_found', async () => {
    expectProblem(await releaseHold(crypto.randomUUID()), 404, 'not_found');
    expectProblem(await releaseHold('not-a-uuid'), 404, 'not_found');
  });

  it('refuses an 8 KB Idempotency-Key on DELETE with a 4xx problem, and the hold stays', async () => {
    const held = await reserve({ sku: w.skus[0], qty: 1, ttlSeconds: 60 });
    expect(held.status, held.text).toBe(201);
    const id = (held.body as { id: string }).id;
    const long = 'k'.repeat(8 * 1024);
    const r = await call(DELETE, request('DELETE', `/api/v1/reservations/${id}`, { key, idem: long }), { id });
    expectProblem(r, 422, 'validation_failed');
    const [row] = await conn.db.select({ status: reservations.status }).from(reservations).where(eq(reservations.holdId, id));
    expect(row.status).toBe('active');
  });
});

describe('POST /api/v1/reservations refuses bad input, naming the field, and writes nothing', () => {
  const sku = () => w.skus[1];
  const cases: [string, () => unknown, string, string][] = [
    ['negative qty', () => ({ sku: sku(), qty: -1 }), 'qty', 'must be at least 1'],
    ['zero qty', () => ({ sku: sku(), qty: 0 }), 'qty', 'must be at least 1'],
    ['fractional qty', () => ({ sku: sku(), qty: 1.5 }), 'qty', 'must be a whole number'],
    ['huge qty', () => ({ sku: sku(), qty: 2 ** 31 }), 'qty', 'must be at most 1,000,000'],
    ['qty as a string', () => ({ sku: sku(), qty: '5' }), 'qty', 'must be a number'],
    ['missing qty', () => ({ sku: sku() }), 'qty', 'must be a number'],
    ['missing sku', () => ({ qty: 1 }), 'sku', 'SKU is required'],
    ['sku of the wrong type', () => ({ sku: 42, qty: 1 }), 'sku', 'SKU must be a string'],
    ['ttlSeconds past 7 days', () => ({ sku: sku(), qty: 1, ttlSeconds: 8 * 24 * 3600 }), 'ttlSeconds', 'must be at most 604800 (7 days)'],
    ['an array body', () => [{ sku: sku(), qty: 1 }], 'body', 'Invalid input: expected object, received array'],
  ];
  it.each(cases)('%s: 422 validation_failed', async (_name, body, field, message) => {
    const fp = await writes(conn, w, key);
    const a = await reserve(body());
    expectProblem(a, 422, 'validation_failed');
    expect(a.body.errors).toContainEqual({ field, message });
    expect(await writes(conn, w, key)).toEqual(fp);
  });

  it('names every bad field at once', async () => {
    const a = await reserve({ qty: 0.5, ttlSeconds: -3 });
    expect(a.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['qty', 'sku', 'ttlSeconds']);
  });

  it('an unknown SKU or warehouse is 404 not_found naming it', async () => {
    const fp = await writes(conn, w, key);
    const a = await reserve({ sku: 'NO-SUCH-SKU', qty: 1 });
    expectProblem(a, 404, 'not_found');
    expect(a.body).toMatchObject({ sku: 'NO-SUCH-SKU' });
    const b = await reserve({ sku: sku(), qty: 1, warehouse: 'NOWHERE' });
    expectProblem(b, 404, 'not_found');
    expect(b.body).toMatchObject({ warehouse: 'NOWHERE' });
    // Two stored refusals (their keys), nothing else.
    expect(await writes(conn, w, key)).toEqual({ ...fp, idempotency: fp.idempotency + 2 });
  });

  it('malformed JSON, an empty body, an oversized body: 400, 400, 413', async () => {
    const fp = await writes(conn, w, key);
    const bad = await call(POST, request('POST', '/api/v1/reservations', { key, raw: '{"sku": "A", "qty": ' }));
    expectProblem(bad, 400, 'validation_failed');
    expect(bad.body.errors[0].field).toBe('body');
    expectProblem(await call(POST, request('POST', '/api/v1/reservations', { key, raw: '' })), 400, 'validation_failed');
    const huge = JSON.stringify({ sku: sku(), qty: 1, reference: 'x'.repeat(70 * 1024) });
    expectProblem(await call(POST, request('POST', '/api/v1/reservations', { key, raw: huge })), 413, 'payload_too_large');
    // Past the limit without a Content-Length: stopped while streaming.
    const stream = new ReadableStream({
      start(c) {
        for (let i = 0; i < 80; i++) c.enqueue(new TextEncoder().encode(' '.repeat(1024)));
        c.close();
      },
    });
    const streamed = new Request('http://onhand.test/api/v1/reservations', {
      method: 'POST',
      headers: { Authorization: `Bearer ${key.secret}`, 'Idempotency-Key': crypto.randomUUID() },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expectProblem(await call(POST, streamed), 413, 'payload_too_large');
    expect(await writes(conn, w, key)).toEqual(fp);
  });

  it('the Idempotency-Key header is required and at most 200 characters', async () => {
    const fp = await writes(conn, w, key);
    const none = await call(POST, request('POST', '/api/v1/reservations', { key, body: { sku: sku(), qty: 1 }, idem: null }));
    expectProblem(none, 400, 'validation_failed');
    expect(none.body.errors).toEqual([{ field: 'Idempotency-Key', message: expect.stringContaining('is required') }]);
    const long = await call(POST, request('POST', '/api/v1/reservations', { key, body: { sku: sku(), qty: 1 }, idem: 'k'.repeat(201) }));
    expectProblem(long, 400, 'validation_failed');
    expect(long.body.errors[0]).toEqual({ field: 'Idempotency-Key', message: 'must be at most 200 characters' });
    expect(await writes(conn, w, key)).toEqual(fp);
  });
});

describe('idempotency', () => {
  it('the same key and body answers the same status and body again, and holds once', async () => {
    const sku = w.skus[2];
    await stock(conn, w, sku, { 'A-02': 10 });
    const idem = crypto.randomUUID();
    const first = await reserve({ sku, qty: 3, reference: 'cart-r' }, idem);
    const fp = await writes(conn, w, key);
    const second = await reserve({ sku, qty: 3, reference: 'cart-r' }, idem);
    expect(second.status).toBe(201);
    expect(second.text).toBe(first.text);
    expect(await writes(conn, w, key)).toEqual(fp);
    expect(await levelsOf(conn, w, sku)).toEqual({ 'A-02': { onHand: 10, reserved: 3 } });
  });

  it('a refusal is replayed with its status too', async () => {
    const sku = w.skus[2];
    const idem = crypto.randomUUID();
    const first = await reserve({ sku, qty: 100 }, idem);
    expectProblem(first, 409, 'insufficient_stock');
    await stock(conn, w, sku, { 'A-02': 200 });
    const second = await reserve({ sku, qty: 100 }, idem);
    expect(second.status).toBe(409);
    expect(second.text).toBe(first.text);
  });

  it('the same key with another body is 422 idempotency_mismatch and writes nothing', async () => {
    const sku = w.skus[2];
    const idem = crypto.randomUUID();
    expect((await reserve({ sku, qty: 1 }, idem)).status).toBe(201);
    const fp = await writes(conn, w, key);
    const a = await reserve({ sku, qty: 2 }, idem);
    expectProblem(a, 422, 'idempotency_mismatch');
    expect(await writes(conn, w, key)).toEqual(fp);
  });

  it('concurrent requests with one key apply once and all get the same answer', async () => {
    const sku = w.skus[3];
    await stock(conn, w, sku, { 'A-01': 50 });
    const idem = crypto.randomUUID();
    const answers = await Promise.all(Array.from({ length: 8 }, () => reserve({ sku, qty: 7 }, idem)));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(201));
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    expect(await levelsOf(conn, w, sku)).toEqual({ 'A-01': { onHand: 50, reserved: 7 } });
    expect(await conn.db.$count(reservations, eq(reservations.holdId, answers[0].body.id))).toBe(1);
  });
});
