// One id from the HTTP request to the ledger: the answer's X-Request-Id is the command_id of the rows the request
// wrote, and the log line of the request carries it too.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getConnection } from '@/db/client';
import { stockMovements } from '@/db/schema';
import { call, makeKey, request, type TestKey } from '@/server/api/test-support';
import { stock } from '@/server/inventory/test-support';
import { makeWorld, testConnection, type World } from '@/server/testing/fixtures';
import { POST } from '@/app/api/v1/reservations/route';

const conn = testConnection();
let w: World;
let key: TestKey;
beforeAll(async () => {
  w = await makeWorld(conn, { products: 1 });
  key = await makeKey(conn, ['reservations:write']);
  await stock(conn, w, w.skus[0], { 'A-01': 10 });
});
afterAll(async () => {
  await conn.close();
  await getConnection().close();
});

describe('X-Request-Id', () => {
  it('is the command id of the ledger rows the request wrote, and differs from one request to the next', async () => {
    const a = await call(POST, request('POST', '/api/v1/reservations', { key, body: { sku: w.skus[0], qty: 2, ttlSeconds: 60 }, idem: 'rid-1' }));
    expect(a.status, a.text).toBe(201);
    const id = a.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const rows = await conn.db.select({ commandId: stockMovements.commandId }).from(stockMovements).where(eq(stockMovements.commandId, id!));
    expect(rows).toHaveLength(1);

    const refused = await call(POST, request('POST', '/api/v1/reservations', { key, body: { sku: w.skus[0], qty: 0 }, idem: 'rid-2' }));
    expect(refused.status).toBe(422);
    expect(refused.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(refused.headers.get('x-request-id')).not.toBe(id);
  });
});
