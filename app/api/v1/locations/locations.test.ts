import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getConnection } from '@/db/client';
import { locations, masterDataChanges } from '@/db/schema';
import { call, expectProblem, makeKey, request, type TestKey } from '@/server/api/test-support';
import { stock } from '@/server/inventory/test-support';
import { makeWorld, testConnection, type World } from '@/server/testing/fixtures';
import { PUT } from './[warehouse]/[code]/route';
import { GET } from './route';

const conn = testConnection();
let w: World;
let writer: TestKey;
let reader: TestKey;
beforeAll(async () => {
  w = await makeWorld(conn, { products: 1 });
  writer = await makeKey(conn, ['catalog:write']);
  reader = await makeKey(conn, ['catalog:read']);
});
afterAll(async () => {
  await conn.close();
  await getConnection().close();
});

const put = (warehouse: string, code: string, body: unknown, key: TestKey = writer) =>
  call(PUT, request('PUT', `/api/v1/locations/${encodeURIComponent(warehouse)}/${encodeURIComponent(code)}`, { key, body }), { warehouse, code });
const list = (query: string, key: TestKey = reader) => call(GET, request('GET', `/api/v1/locations?${query}`, { key }));
const binCount = () => conn.db.$count(locations, eq(locations.warehouseId, w.warehouseId));

describe('PUT /api/v1/locations/{warehouse}/{code}', () => {
  it('creates a bin (201), updates it (200, new version), and audits each change with before and after', async () => {
    const created = await put(w.warehouse, 'B-01-1', { kind: 'storage' });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ warehouse: w.warehouse, code: 'B-01-1', kind: 'storage', sellable: true, active: true, version: 1 });
    const again = await put(w.warehouse, 'B-01-1', { kind: 'storage' });
    expect(again.status).toBe(200);
    expect(again.body.version).toBe(1);
    const updated = await put(w.warehouse, 'B-01-1', { kind: 'quarantine', sellable: false, pickOrder: 40, version: 1 });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.body).toMatchObject({ kind: 'quarantine', sellable: false, pickOrder: 40, version: 2 });
    const changes = await conn.db
      .select()
      .from(masterDataChanges)
      .where(and(eq(masterDataChanges.entity, 'location'), eq(masterDataChanges.entityKey, `${w.warehouse}:B-01-1`)))
      .orderBy(masterDataChanges.id);
    expect(changes.map((c) => [c.action, c.actor])).toEqual([
      ['create', `api_key:${writer.name}`],
      ['update', `api_key:${writer.name}`],
    ]);
    expect(changes[1].before).toMatchObject({ kind: 'storage', version: 1 });
  });

  it('refuses bad fields one by one, unknown members, a missing kind on a create, and writes nothing', async () => {
    const before = await binCount();
    const r = await put(w.warehouse, 'B-BAD', { kind: 'shelf', sellable: 'yes', pickOrder: -2 });
    expectProblem(r, 422, 'validation_failed');
    expect(Object.fromEntries(r.body.errors.map((e: { field: string; message: string }) => [e.field, e.message]))).toEqual({
      kind: 'must be one of receiving, storage, pick, shipping, quarantine',
      sellable: 'sellable must be true or false',
      pickOrder: 'pick order cannot be negative',
    });
    expectProblem(await put(w.warehouse, 'B-BAD', { kind: 'pick', colour: 'red' }), 422, 'validation_failed');
    const noKind = await put(w.warehouse, 'B-BAD', { sellable: true });
    expectProblem(noKind, 422, 'validation_failed');
    expect(noKind.body.errors).toEqual([{ field: 'kind', message: 'kind is required for a new bin' }]);
    expect(await binCount()).toBe(before);
  });

  it('a code differing only in letter case is 409; an unknown warehouse is 404', async () => {
    await put(w.warehouse, 'Case-1', { kind: 'pick' });
    const twin = await put(w.warehouse, 'CASE-1', { kind: 'pick' });
    expectProblem(twin, 409, 'conflict');
    expect(twin.body.errors[0].field).toBe('code');
    expectProblem(await put('NO-SUCH-WH', 'X', { kind: 'pick' }), 404, 'not_found');
  });

  it('deactivating a bin that holds stock is 409 naming SKU and quantity; a stale version is 409 conflict', async () => {
    const sku = w.skus[0];
    await stock(conn, w, sku, { 'A-02': 6 });
    const refused = await put(w.warehouse, 'A-02', { active: false });
    expectProblem(refused, 409, 'invalid_state');
    expect(refused.body.detail).toBe(`A-02 still holds ${sku} × 6: move, adjust or release it before deactivating.`);
    expect(refused.body.held).toEqual([{ location: 'A-02', sku, onHand: 6, reserved: 0, holds: 0 }]);
    await put(w.warehouse, 'A-01', { pickOrder: 5 });
    const stale = await put(w.warehouse, 'A-01', { pickOrder: 9, version: 1 });
    expectProblem(stale, 409, 'conflict');
    expect(stale.body.errors).toEqual([{ field: 'pickOrder', message: 'changed meanwhile to 5' }]);
  });

  it('needs catalog:write', async () => {
    expectProblem(await put(w.warehouse, 'X-1', { kind: 'pick' }, reader), 403, 'forbidden');
  });
});

describe('GET /api/v1/locations', () => {
  it('lists a warehouse’s bins by code, searches by code, pages by cursor and leaves deactivated bins out unless asked', async () => {
    const world = await makeWorld(conn, { bins: ['C-1', 'C-2', 'C-3', 'D-1'], products: 1 });
    await put(world.warehouse, 'C-3', { active: false });
    const first = await list(`warehouse=${world.warehouse}&q=c-&limit=1`);
    expect(first.status, first.text).toBe(200);
    expect(first.body.items).toEqual([{ warehouse: world.warehouse, code: 'C-1', kind: 'storage', sellable: true, pickOrder: 0, active: true, version: 1 }]);
    const second = await list(`warehouse=${world.warehouse}&q=c-&limit=1&after=${encodeURIComponent(first.body.nextCursor)}`);
    expect(second.body.items.map((b: { code: string }) => b.code)).toEqual(['C-2']);
    expect(second.body.nextCursor).toBeNull();
    const all = await list(`warehouse=${world.warehouse}&inactive=include`);
    expect(all.body.items.map((b: { code: string; active: boolean }) => `${b.code}${b.active ? '' : ' (inactive)'}`)).toEqual(['C-1', 'C-2', 'C-3 (inactive)', 'D-1']);
    expectProblem(await list('limit=0'), 422, 'validation_failed');
    expectProblem(await list('inactive=maybe'), 422, 'validation_failed');
    expectProblem(await list('', writer), 403, 'forbidden');
  });
});
