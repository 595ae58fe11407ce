// Holds and orders belong to the API key that made them: another key with the same scopes is told they do not
// exist (404), cannot take them over, does not learn their ids from a conflict or the ledger, and changes nothing.
// The ledger and the outbound events show API keys no staff e-mail and no free-text note.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getConnection } from '@/db/client';
import { call, expectProblem, makeKey, request, writes, type TestKey } from '@/server/api/test-support';
import { receive } from '@/server/inventory/commands/receive';
import { stock } from '@/server/inventory/test-support';
import { makeWorld, testConnection, uid, type World } from '@/server/testing/fixtures';
import { GET as listMovements } from '@/app/api/v1/movements/route';
import { POST as cancelOrder } from '@/app/api/v1/orders/[id]/cancel/route';
import { POST as placeOrder } from '@/app/api/v1/orders/route';
import { DELETE as releaseHold } from '@/app/api/v1/reservations/[id]/route';
import { POST as reserve } from '@/app/api/v1/reservations/route';
import { toStockEvent } from '@/server/connectors/amqp/stock-event';

const conn = testConnection();
let w: World;
let mine: TestKey;
let theirs: TestKey;
beforeAll(async () => {
  w = await makeWorld(conn, { products: 2 });
  const scopes = ['reservations:write', 'orders:write', 'stock:read'] as const;
  mine = await makeKey(conn, [...scopes]);
  theirs = await makeKey(conn, [...scopes]);
  await stock(conn, w, w.skus[0], { 'A-01': 20 });
});
afterAll(async () => {
  await conn.close();
  await getConnection().close();
});

const hold = async (key: TestKey, qty = 1) => {
  const a = await call(reserve, request('POST', '/api/v1/reservations', { key, body: { sku: w.skus[0], qty } }));
  expect(a.status, a.text).toBe(201);
  return a.body.id as string;
};
const order = (key: TestKey, body: unknown) => call(placeOrder, request('POST', '/api/v1/orders', { key, body }));
const everything = async () => ({ mine: await writes(conn, w, mine), theirs: await writes(conn, w, theirs) });
// A refusal under an Idempotency-Key is stored as that key's answer (a retry gets it again); nothing else is written.
const plusRefusal = (before: Awaited<ReturnType<typeof everything>>) => ({ ...before, theirs: { ...before.theirs, idempotency: before.theirs.idempotency + 1 } });

describe("another key's holds", () => {
  it('cannot be released: 404 as if the hold did not exist, nothing written; its owner still can', async () => {
    const id = await hold(mine, 2);
    const before = await everything();
    const a = await call(releaseHold, request('DELETE', `/api/v1/reservations/${id}`, { key: theirs }), { id });
    expectProblem(a, 404, 'not_found');
    const unknown = crypto.randomUUID();
    const b = await call(releaseHold, request('DELETE', `/api/v1/reservations/${unknown}`, { key: theirs }), { id: unknown });
    // The same answer, word for word, as for an id nobody holds.
    expect(a.body.detail.replace(id, 'X')).toBe(b.body.detail.replace(unknown, 'X'));
    expect(await everything()).toEqual(before);

    const own = await call(releaseHold, request('DELETE', `/api/v1/reservations/${id}`, { key: mine }), { id });
    expect(own.status, own.text).toBe(200);
    expect(own.body).toMatchObject({ id, status: 'released' });
  });

  it('cannot be taken over by an order: 404, no order placed, the hold stays with its owner', async () => {
    const id = await hold(mine, 3);
    const before = await everything();
    const a = await order(theirs, { reference: `steal-${uid()}`, lines: [{ sku: w.skus[0], qty: 3 }], holds: [id] });
    expectProblem(a, 404, 'not_found');
    expect(await everything()).toEqual(plusRefusal(before));
    const own = await order(mine, { reference: `mine-${uid()}`, lines: [{ sku: w.skus[0], qty: 3 }], holds: [id] });
    expect(own.status, own.text).toBe(201);
  });
});

describe("another key's orders", () => {
  it('cannot be cancelled: 404, nothing written; its owner still can', async () => {
    const placed = await order(mine, { reference: `o-${uid()}`, lines: [{ sku: w.skus[0], qty: 1 }] });
    expect(placed.status, placed.text).toBe(201);
    const id = placed.body.id as string;
    const before = await everything();
    const a = await call(cancelOrder, request('POST', `/api/v1/orders/${id}/cancel`, { key: theirs }), { id });
    expectProblem(a, 404, 'not_found');
    expect(await everything()).toEqual(plusRefusal(before));
    const own = await call(cancelOrder, request('POST', `/api/v1/orders/${id}/cancel`, { key: mine }), { id });
    expect(own.status, own.text).toBe(200);
    expect(own.body).toMatchObject({ id, status: 'cancelled' });
  });

  it("a reference already taken is a conflict that names the order only to its owner", async () => {
    const reference = `dup-${uid()}`;
    const placed = await order(mine, { reference, lines: [{ sku: w.skus[0], qty: 1 }] });
    expect(placed.status, placed.text).toBe(201);
    const before = await everything();
    const a = await order(theirs, { reference, lines: [{ sku: w.skus[0], qty: 1 }] });
    expectProblem(a, 409, 'conflict');
    expect(a.text).not.toContain(placed.body.id);
    expect(await everything()).toEqual(plusRefusal(before));
    const own = await order(mine, { reference, lines: [{ sku: w.skus[0], qty: 1 }] });
    expectProblem(own, 409, 'conflict');
    expect(own.body).toMatchObject({ order: placed.body.id });
  });
});

describe('what the ledger shows an API key', () => {
  it("its own holds' ids, not another key's; no staff e-mail, no note", async () => {
    const id = await hold(mine, 1);
    await receive(conn.db, { sku: w.skus[1], warehouse: w.warehouse, location: 'A-01', qty: 4, note: 'pallet torn, counted twice' }, {
      actor: { kind: 'user', id: 'u1', label: 'ana@example.com' },
    });
    // This test's own products' ledger (other test files write to the same database meanwhile).
    const page = async (key: TestKey) => {
      const items = [];
      for (const sku of w.skus) {
        const a = await call(listMovements, request('GET', `/api/v1/movements?sku=${encodeURIComponent(sku)}&limit=1000`, { key }));
        expect(a.status, a.text).toBe(200);
        items.push(...(a.body.items as { referenceType: string | null; referenceId: string | null; note: string | null; actor: string; sku: string }[]));
      }
      return items;
    };
    const holdRows = (items: Awaited<ReturnType<typeof page>>) => items.filter((m) => m.referenceType === 'hold');
    expect(holdRows(await page(mine)).map((m) => m.referenceId)).toContain(id);
    const seen = await page(theirs);
    expect(holdRows(seen).length).toBeGreaterThan(0);
    expect(holdRows(seen).every((m) => m.referenceId === null)).toBe(true);
    expect(seen.filter((m) => m.referenceType === 'order').every((m) => m.referenceId === null)).toBe(true);
    const text = JSON.stringify(seen);
    expect(text).not.toContain('ana@example.com');
    expect(text).not.toContain('pallet torn');
    expect(seen.find((m) => m.sku === w.skus[1])).toMatchObject({ actor: 'user', note: null });
  });

  it('outbound events carry no staff e-mail or note unless configured to', () => {
    type Args = Parameters<typeof toStockEvent>;
    const m: Args[0] = { id: 1, productId: 1, locationId: 1, kind: 'receipt', onHandDelta: 1, reservedDelta: 0, onHandAfter: 1, reservedAfter: 0, version: 1,
      reasonCode: null, referenceType: null, referenceId: null, note: 'pallet torn', actor: 'user:ana@example.com', commandId: crypto.randomUUID() };
    const tx = { commitTime: new Date(), endLsn: '0/1', movements: [] } as unknown as Args[1];
    const places: Args[2] = { skus: new Map(), bins: new Map() };
    const plain = toStockEvent(m, tx, places, { staffDetails: false });
    expect(plain).toMatchObject({ actor: 'user', note: null });
    const full = toStockEvent(m, tx, places, { staffDetails: true });
    expect(full).toMatchObject({ actor: 'user:ana@example.com', note: 'pallet torn' });
  });
});
