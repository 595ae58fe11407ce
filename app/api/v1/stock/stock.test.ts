import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getConnection } from '@/db/client';
import { call, expectProblem, makeKey, request, type TestKey } from '@/server/api/test-support';
import { reserve } from '@/server/inventory/commands/reserve';
import { opts, stock } from '@/server/inventory/test-support';
import { makeWorld, testConnection, type World } from '@/server/testing/fixtures';
import { GET } from './route';

const conn = testConnection();
let w: World;
let w2: World;
let key: TestKey;
beforeAll(async () => {
  w = await makeWorld(conn, { products: 2 });
  w2 = await makeWorld(conn, { products: 1 });
  key = await makeKey(conn, ['stock:read']);
  await stock(conn, w, w.skus[0], { 'PICK-01': 3, 'A-01': 5, RECV: 7 });
  await reserve(conn.db, { sku: w.skus[0], qty: 4 }, opts);
  // The same SKU stocked in a second warehouse.
  await stock(conn, { ...w2, productIds: w.productIds }, w.skus[0], { 'A-01': 2 });
});
afterAll(async () => {
  await conn.close();
  await getConnection().close();
});

const get = (qs: string) => call(GET, request('GET', `/api/v1/stock?${qs}`, { key }));

describe('GET /api/v1/stock', () => {
  it('lists levels per location with on hand, reserved, available and version, as the table has them', async () => {
    const sku = w.skus[0];
    const a = await get(`sku=${sku}&sku=NOPE`);
    expect(a.status, a.text).toBe(200);
    expect(a.body.unknown).toEqual(['NOPE']);
    const rows = (await conn.db.execute(sql`
      SELECT w.code AS warehouse, l.code AS location, s.on_hand, s.reserved, s.version FROM stock_levels s
      JOIN locations l ON l.id = s.location_id JOIN warehouses w ON w.id = l.warehouse_id
      WHERE s.product_id = ${w.productIds[sku]} ORDER BY w.code, l.code`)) as unknown as Record<string, unknown>[];
    expect(a.body.items).toHaveLength(rows.length);
    expect(a.body.items.map((i: Record<string, unknown>) => [i.warehouse, i.location, i.onHand, i.reserved, i.version])).toEqual(
      rows.map((r) => [r.warehouse, r.location, r.on_hand, r.reserved, r.version]),
    );
    const pick = a.body.items.find((i: { location: string; warehouse: string }) => i.warehouse === w.warehouse && i.location === 'PICK-01');
    expect(pick).toMatchObject({ sku, locationKind: 'pick', sellable: true, onHand: 3, reserved: 3, available: 0, updatedAt: expect.any(String) });
    const recv = a.body.items.find((i: { location: string; warehouse: string }) => i.warehouse === w.warehouse && i.location === 'RECV');
    expect(recv).toMatchObject({ sellable: false, onHand: 7, available: 7 });
  });

  it('filters by warehouse; an unknown warehouse is 404; no sku is 422', async () => {
    const sku = w.skus[0];
    const only = await get(`sku=${sku}&warehouse=${w2.warehouse}`);
    expect(only.body.items).toEqual([expect.objectContaining({ warehouse: w2.warehouse, location: 'A-01', onHand: 2 })]);
    const nowhere = await get(`sku=${sku}&warehouse=NOWHERE`);
    expectProblem(nowhere, 404, 'not_found');
    expect(nowhere.body).toMatchObject({ warehouse: 'NOWHERE' });
    expectProblem(await get(`warehouse=${w.warehouse}`), 422, 'validation_failed');
  });
});
