import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getConnection } from '@/db/client';
import { call, expectProblem, makeKey, request, type TestKey } from '@/server/api/test-support';
import { createPurchaseOrder, markOrdered } from '@/server/inventory/commands/purchase-orders';
import { receive } from '@/server/inventory/commands/receive';
import { saveProductSupplier, saveSupplier } from '@/server/inventory/commands/suppliers';
import { opts } from '@/server/inventory/test-support';
import { makeWorld, testConnection, uid, type World } from '@/server/testing/fixtures';
import { GET as ONE } from './[reference]/route';
import { GET as LIST } from './route';

const conn = testConnection();
let w: World;
let reader: TestKey;
let reference: string;
beforeAll(async () => {
  w = await makeWorld(conn, { products: 1 });
  reader = await makeKey(conn, ['catalog:read']);
  const s = await saveSupplier(conn.db, { name: `Loom ${uid()}`, mode: 'create' }, opts);
  await saveProductSupplier(conn.db, { sku: w.skus[0], supplierId: s.id, supplierSku: 'L-77', packSize: 6, unitCost: 1.25 }, opts);
  const po = await createPurchaseOrder(conn.db, { supplierId: s.id, warehouse: w.warehouse, lines: [{ sku: w.skus[0], qty: 10 }] }, opts);
  reference = po.reference;
  await markOrdered(conn.db, { reference, expectedAt: new Date(Date.now() + 86_400_000).toISOString().slice(0, 10) }, opts);
  await receive(conn.db, { sku: w.skus[0], warehouse: w.warehouse, location: 'RECV', qty: 4, purchaseOrder: reference }, opts);
});
afterAll(async () => {
  await conn.close();
  await getConnection().close();
});

describe('GET /api/v1/purchase-orders', () => {
  it('lists open orders with their totals, and one order with its lines and terms', async () => {
    const list = await call(LIST, request('GET', '/api/v1/purchase-orders', { key: reader }));
    expect(list.status, list.text).toBe(200);
    const mine = (list.body as { items: { reference: string }[] }).items.find((p) => p.reference === reference);
    expect(mine).toMatchObject({ status: 'partially_received', warehouse: w.warehouse, lines: 1, ordered: 12, received: 4 });
    const one = await call(ONE, request('GET', `/api/v1/purchase-orders/${reference}`, { key: reader }), { reference });
    expect(one.status, one.text).toBe(200);
    expect(one.body).toMatchObject({
      reference,
      status: 'partially_received',
      lines: [{ sku: w.skus[0], ordered: 12, received: 4, remaining: 8, supplierSku: 'L-77', packSize: 6, unitCostCents: 125, shortReason: null }],
    });
  });

  it('filters by status and refuses an unknown one with the allowed values', async () => {
    const received = await call(LIST, request('GET', '/api/v1/purchase-orders?status=received', { key: reader }));
    expect((received.body as { items: { reference: string }[] }).items.some((p) => p.reference === reference)).toBe(false);
    const bad = await call(LIST, request('GET', '/api/v1/purchase-orders?status=shipped', { key: reader }));
    expectProblem(bad, 422, 'validation_failed');
    expect(bad.text).toContain('must be one of draft, ordered');
  });

  it('answers 404 for an unknown order', async () => {
    expectProblem(await call(ONE, request('GET', '/api/v1/purchase-orders/PO-NOPE', { key: reader }), { reference: 'PO-NOPE' }), 404, 'not_found');
  });
});
