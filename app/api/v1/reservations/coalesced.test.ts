import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getConnection } from '@/db/client';
import { call, expectProblem, makeKey, request, type TestKey } from '@/server/api/test-support';
import { stock } from '@/server/inventory/test-support';
import { ledgerMismatches, makeWorld, testConnection, type World } from '@/server/testing/fixtures';
import { POST } from './route';

const conn = testConnection();
let w: World;
let key: TestKey;
beforeAll(async () => {
  w = await makeWorld(conn, { products: 1 });
  key = await makeKey(conn, ['reservations:write']);
  await stock(conn, w, w.skus[0], { 'PICK-01': 5 });
});
afterAll(async () => {
  await conn.close();
  await getConnection().close();
});

const hold = (body: unknown, idem = randomUUID()) => call(POST, request('POST', '/api/v1/reservations', { key, body, idem }));

describe('POST /api/v1/reservations, coalesced by default', () => {
  it('a crowd on one SKU gets exactly the stock, the rest 409 insufficient_stock, and a replay its first answer', async () => {
    const idem = randomUUID();
    const answers = await Promise.all([hold({ sku: w.skus[0], qty: 1 }, idem), ...Array.from({ length: 11 }, () => hold({ sku: w.skus[0], qty: 1 }))]);
    expect(answers.filter((a) => a.status === 201)).toHaveLength(5);
    for (const a of answers.filter((x) => x.status !== 201)) expectProblem(a, 409, 'insufficient_stock');
    const replay = await hold({ sku: w.skus[0], qty: 1 }, idem);
    expect(replay.status).toBe(answers[0].status);
    expect(replay.body).toEqual(answers[0].body);
    expect(await ledgerMismatches(conn, [w.productIds[w.skus[0]]])).toEqual([]);
  });
});
