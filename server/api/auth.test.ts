// Authorization on every keyed endpoint: no key, a bad key, a revoked key and a key without the scope are all
// refused before anything runs, and nothing is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as AVAILABILITY } from '@/app/api/v1/availability/route';
import { GET as MOVEMENTS_GET, POST as MOVEMENTS_POST } from '@/app/api/v1/movements/route';
import { POST as CANCEL } from '@/app/api/v1/orders/[id]/cancel/route';
import { POST as ORDERS } from '@/app/api/v1/orders/route';
import { DELETE as RELEASE } from '@/app/api/v1/reservations/[id]/route';
import { POST as RESERVE } from '@/app/api/v1/reservations/route';
import { GET as STOCK } from '@/app/api/v1/stock/route';
import { getConnection } from '@/db/client';
import { apiScopes, revokeApiKey, type ApiScope } from '@/server/auth/api-keys';
import { allocateOrder } from '@/server/inventory/commands/allocate-order';
import { reserve } from '@/server/inventory/commands/reserve';
import { opts, stock } from '@/server/inventory/test-support';
import { makeWorld, testConnection, type World } from '@/server/testing/fixtures';
import type { RouteHandler } from './api-route';
import { call, expectProblem, makeKey, request, writes, type TestKey } from './test-support';

const conn = testConnection();
let w: World;
let holdId: string;
let orderId: string;
beforeAll(async () => {
  w = await makeWorld(conn, { products: 1 });
  await stock(conn, w, w.skus[0], { 'A-01': 10 });
  holdId = (await reserve(conn.db, { sku: w.skus[0], qty: 1 }, opts)).id;
  orderId = (await allocateOrder(conn.db, { reference: `SO-${crypto.randomUUID()}`, lines: [{ sku: w.skus[0], qty: 1 }] }, opts)).id;
});
afterAll(async () => {
  await conn.close();
  await getConnection().close();
});

type Endpoint = { name: string; scope: ApiScope; handler: RouteHandler; method: string; path: () => string; body?: () => unknown; params?: () => Record<string, string> };

const endpoints: Endpoint[] = [
  { name: 'POST /reservations', scope: 'reservations:write', handler: RESERVE, method: 'POST', path: () => '/api/v1/reservations', body: () => ({ sku: w.skus[0], qty: 1 }) },
  { name: 'DELETE /reservations/{id}', scope: 'reservations:write', handler: RELEASE, method: 'DELETE', path: () => `/api/v1/reservations/${holdId}`, params: () => ({ id: holdId }) },
  { name: 'POST /orders', scope: 'orders:write', handler: ORDERS, method: 'POST', path: () => '/api/v1/orders', body: () => ({ reference: `SO-${crypto.randomUUID()}`, lines: [{ sku: w.skus[0], qty: 1 }] }) },
  { name: 'POST /orders/{id}/cancel', scope: 'orders:write', handler: CANCEL, method: 'POST', path: () => `/api/v1/orders/${orderId}/cancel`, params: () => ({ id: orderId }) },
  { name: 'GET /stock', scope: 'stock:read', handler: STOCK, method: 'GET', path: () => `/api/v1/stock?sku=${w.skus[0]}` },
  { name: 'POST /movements', scope: 'stock:write', handler: MOVEMENTS_POST, method: 'POST', path: () => '/api/v1/movements', body: () => ({ kind: 'receipt', sku: w.skus[0], warehouse: w.warehouse, location: 'A-01', qty: 1 }) },
  { name: 'GET /movements', scope: 'stock:read', handler: MOVEMENTS_GET, method: 'GET', path: () => `/api/v1/movements?sku=${w.skus[0]}` },
];

const send = (e: Endpoint, key?: TestKey | string, headers?: Record<string, string>) =>
  call(e.handler, request(e.method, e.path(), { key, body: e.body?.(), headers }), e.params?.() ?? {});

describe.each(endpoints)('$name', (e) => {
  let other: TestKey;
  beforeAll(async () => {
    other = await makeKey(conn, apiScopes.filter((s) => s !== e.scope));
  });

  it('without a key: 401 unauthorized with WWW-Authenticate, nothing written', async () => {
    const fp = await writes(conn, w, other);
    const a = await send(e);
    expectProblem(a, 401, 'unauthorized');
    expect(a.headers.get('www-authenticate')).toBe('Bearer realm="onhand"');
    expect(await writes(conn, w, other)).toEqual(fp);
  });

  it('with a bad, a malformed or a non-Bearer key: 401 invalid_token', async () => {
    const fp = await writes(conn, w, other);
    const forged = other.secret.slice(0, -4) + 'AAAA';
    for (const a of [await send(e, forged), await send(e, 'hello'), await send(e, undefined, { Authorization: `Basic ${btoa('a:b')}` })]) {
      expectProblem(a, 401, 'unauthorized');
      expect(a.headers.get('www-authenticate')).toContain('error="invalid_token"');
    }
    expect(await writes(conn, w, other)).toEqual(fp);
  });

  it('with a key that lacks the scope: 403 forbidden naming the scope, nothing written', async () => {
    const fp = await writes(conn, w, other);
    const a = await send(e, other);
    expectProblem(a, 403, 'forbidden');
    expect(a.body.scope).toBe(e.scope);
    expect(a.body.detail).toContain(e.scope);
    expect(a.headers.get('www-authenticate')).toContain(`error="insufficient_scope", scope="${e.scope}"`);
    expect(await writes(conn, w, other)).toEqual(fp);
  });

  it('with a revoked key: 401, nothing written; the same key worked before', async () => {
    const key = await makeKey(conn, [e.scope]);
    if (e.method === 'GET') expect((await send(e, key)).status).toBe(200);
    await revokeApiKey(conn.db, key.id);
    const fp = await writes(conn, w, key);
    expectProblem(await send(e, key), 401, 'unauthorized');
    expect(await writes(conn, w, key)).toEqual(fp);
  });
});

it('public endpoints need no key', async () => {
  expect((await call(AVAILABILITY, request('GET', `/api/v1/availability?sku=${w.skus[0]}`))).status).toBe(200);
});
