import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getConnection } from '@/db/client';
import { alerts, masterDataChanges, products, stockMovements } from '@/db/schema';
import { gtinCheckDigit } from '@/lib/scan';
import { call, expectProblem, makeKey, request, type TestKey } from '@/server/api/test-support';
import { adjust } from '@/server/inventory/commands/adjust';
import { release } from '@/server/inventory/commands/release';
import { reserve } from '@/server/inventory/commands/reserve';
import { availabilityOf } from '@/server/inventory/read/availability';
import { stockList } from '@/server/inventory/read/stock-list';
import { opts, stock } from '@/server/inventory/test-support';
import { ledgerMismatches, makeWorld, testConnection, uid, type World } from '@/server/testing/fixtures';
import { POST as ARCHIVE } from './[sku]/archive/route';
import { PUT } from './[sku]/route';
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

// A fresh, valid EAN-13 each call, and the 14-digit GTIN it is stored as.
function ean13() {
  const body = `20${String(Math.floor(Math.random() * 1e10)).padStart(10, '0')}`;
  const code = body + gtinCheckDigit(body);
  return { code, gtin: code.padStart(14, '0') };
}
const newSku = () => `CAT-${uid()}`;
const put = (sku: string, body: unknown, key: TestKey = writer) => call(PUT, request('PUT', `/api/v1/products/${encodeURIComponent(sku)}`, { key, body }), { sku });
const archive = (sku: string, version?: number) =>
  call(ARCHIVE, request('POST', `/api/v1/products/${encodeURIComponent(sku)}/archive${version ? `?version=${version}` : ''}`, { key: writer }), { sku });
const list = (query: string, key: TestKey = reader) => call(GET, request('GET', `/api/v1/products?${query}`, { key }));
const changesOf = (sku: string) => conn.db.select().from(masterDataChanges).where(eq(masterDataChanges.entityKey, sku)).orderBy(masterDataChanges.id);
const productCount = async () => conn.db.$count(products);

describe('PUT /api/v1/products/{sku}', () => {
  it('creates (201), then updates (200) with a new version, and each change is audited with before and after', async () => {
    const sku = newSku();
    const { code, gtin } = ean13();
    const created = await put(` ${sku} `, { name: 'Quartz lamp', barcodes: [code], lowStockThreshold: 3 });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toEqual({ sku, name: 'Quartz lamp', barcodes: [gtin], unit: 'each', lowStockThreshold: 3, leadTimeDays: 7, active: true, version: 1 });

    const again = await put(sku, { name: 'Quartz lamp', barcodes: [code] });
    expect(again.status).toBe(200);
    expect(again.body.version).toBe(1);

    const updated = await put(sku, { name: 'Quartz lamp, large', version: 1 });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.body).toMatchObject({ name: 'Quartz lamp, large', barcodes: [gtin], lowStockThreshold: 3, version: 2 });

    const changes = await changesOf(sku);
    expect(changes.map((c) => [c.action, c.actor])).toEqual([
      ['create', `api_key:${writer.name}`],
      ['update', `api_key:${writer.name}`],
    ]);
    expect(changes[0].before).toBeNull();
    expect(changes[1].before).toMatchObject({ name: 'Quartz lamp', version: 1 });
    expect(changes[1].after).toMatchObject({ name: 'Quartz lamp, large', version: 2 });
  });

  it('a product created through REST appears in the stock search and in storefront availability', async () => {
    const sku = newSku();
    const { code } = ean13();
    expect((await put(sku, { name: `Brass hinge ${sku}`, barcodes: [code] })).status).toBe(201);
    expect((await stockList(conn.db, { q: code })).rows.map((r) => r.sku)).toEqual([sku]);
    expect(await availabilityOf(conn.db, [sku])).toMatchObject({ items: [{ sku, available: 0, status: 'out_of_stock' }], unknown: [] });
  });

  it('refuses bad fields one by one, a wrong check digit included, and writes nothing', async () => {
    const before = await productCount();
    const r = await put(newSku(), { name: '', barcodes: ['5012345678901', '123'], lowStockThreshold: -1, leadTimeDays: 400 });
    expectProblem(r, 422, 'validation_failed');
    expect(Object.fromEntries(r.body.errors.map((e: { field: string; message: string }) => [e.field, e.message]))).toEqual({
      name: 'name is required',
      'barcodes.0': '5012345678901: the check digit is wrong',
      'barcodes.1': '123 is not an EAN-13, UPC-A, EAN-8 or GTIN-14',
      lowStockThreshold: 'low-stock threshold cannot be negative',
      leadTimeDays: 'lead time is at most 365 days',
    });
    expectProblem(await put(newSku(), { barcodes: [] }), 422, 'validation_failed');
    expect(await productCount()).toBe(before);
  });

  it('accepts UPC-A, EAN-8 and GTIN-14 and stores each as 14 digits', async () => {
    const r = await put(newSku(), { name: 'Kinds', barcodes: ['036000291452', '96385074', '10012345678902'] });
    expect(r.status, r.text).toBe(201);
    expect(r.body.barcodes).toEqual(['00036000291452', '00000096385074', '10012345678902']);
    // They are taken now, for every other product.
    const clash = await put(newSku(), { name: 'Clash', barcodes: ['0036000291452'] });
    expectProblem(clash, 409, 'conflict');
    expect(clash.body.errors).toEqual([{ field: 'barcodes.0', message: `00036000291452 already belongs to ${r.body.sku}` }]);
  });

  it('a SKU that differs from an existing one only in letter case is refused', async () => {
    const sku = newSku();
    await put(sku, { name: 'Upper' });
    const before = await productCount();
    const r = await put(sku.toLowerCase(), { name: 'Lower' });
    expectProblem(r, 409, 'conflict');
    expect(r.body.errors).toEqual([{ field: 'sku', message: `differs from the existing SKU ${sku} only in letter case` }]);
    expect(await productCount()).toBe(before);
  });

  it('a save on an old version is refused with what changed since, and nothing is overwritten', async () => {
    const sku = newSku();
    await put(sku, { name: 'First', unit: 'each' });
    await put(sku, { name: 'Second', unit: 'box', version: 1 });
    const stale = await put(sku, { name: 'Mine', version: 1 });
    expectProblem(stale, 409, 'conflict');
    expect(stale.body.changes).toEqual([
      { field: 'name', was: 'First', now: 'Second' },
      { field: 'unit', was: 'each', now: 'box' },
    ]);
    expect(stale.body.errors).toEqual([
      { field: 'name', message: 'changed meanwhile to "Second"' },
      { field: 'unit', message: 'changed meanwhile to "box"' },
    ]);
    const [row] = await conn.db.select().from(products).where(eq(products.sku, sku));
    expect(row).toMatchObject({ name: 'Second', version: 2 });
    expect(await changesOf(sku)).toHaveLength(2);
  });

  it('needs catalog:write', async () => {
    expectProblem(await put(newSku(), { name: 'x' }, reader), 403, 'forbidden');
  });
});

describe('POST /api/v1/products/{sku}/archive', () => {
  it('is refused with the figures while stock is on hand or held, then archives; availability says unknown', async () => {
    const sku = newSku();
    await put(sku, { name: 'To archive' });
    await stock(conn, w, sku, { 'A-01': 4 });
    const hold = await reserve(conn.db, { sku, qty: 1 }, opts);
    const refused = await archive(sku);
    expectProblem(refused, 409, 'invalid_state');
    expect(refused.body).toMatchObject({ sku, onHand: 4, reserved: 1, holds: 1 });
    expect(refused.body.detail).toContain('4 on hand and 1 open hold');
    const [row] = await conn.db.select().from(products).where(eq(products.sku, sku));
    expect(row.active).toBe(true);

    // Everything out: the ledger keeps its rows, the product goes.
    await release(conn.db, { id: hold.id }, opts);
    await adjust(conn.db, { sku, warehouse: w.warehouse, location: 'A-01', delta: -4, reason: 'lost' }, opts);
    const done = await archive(sku, 1);
    expect(done.status, done.text).toBe(200);
    expect(done.body).toMatchObject({ sku, active: false, version: 2 });
    expect((await archive(sku)).body).toMatchObject({ active: false, version: 2 });
    expect(await availabilityOf(conn.db, [sku])).toEqual({ items: [], unknown: [sku] });
    expect((await stockList(conn.db, { q: sku })).rows).toEqual([]);
    expect((await list(`q=${sku}`)).body.items).toEqual([]);
    expect((await list(`q=${sku}&archived=only`)).body.items.map((p: { sku: string }) => p.sku)).toEqual([sku]);
    expect((await changesOf(sku)).map((c) => c.action)).toEqual(['create', 'archive']);
    expect(await conn.db.$count(stockMovements, eq(stockMovements.productId, row.id))).toBe(4);
    expect(await ledgerMismatches(conn, [row.id])).toEqual([]);
  });

  it('an unknown SKU is 404', async () => {
    expectProblem(await archive('NO-SUCH-SKU'), 404, 'not_found');
  });
});

describe('GET /api/v1/products', () => {
  it('searches by SKU, name or barcode and pages by SKU cursor', async () => {
    const tag = uid();
    const made: string[] = [];
    const { code } = ean13();
    for (let i = 0; i < 3; i++) {
      const sku = `LST-${tag}-${i}`;
      made.push(sku);
      await put(sku, { name: `Listed ${tag} ${i}`, barcodes: i === 2 ? [code] : [] });
    }
    const first = await list(`q=${tag}&limit=2`);
    expect(first.status, first.text).toBe(200);
    expect(first.body.items.map((p: { sku: string }) => p.sku)).toEqual(made.slice(0, 2));
    expect(first.body.nextCursor).toBe(made[1]);
    const second = await list(`q=${tag}&limit=2&after=${first.body.nextCursor}`);
    expect(second.body).toMatchObject({ items: [{ sku: made[2] }], nextCursor: null });
    expect((await list(`q=${code}`)).body.items.map((p: { sku: string }) => p.sku)).toEqual([made[2]]);
    expect((await list(`q=listed ${tag.toLowerCase()} 1`)).body.items.map((p: { sku: string }) => p.sku)).toEqual([made[1]]);
    expectProblem(await list('limit=0'), 422, 'validation_failed');
    expectProblem(await list('q=x', writer), 403, 'forbidden');
  });
});

describe('PUT with active', () => {
  it('active false archives under the same rule, active true restores; each is audited by name', async () => {
    const sku = newSku();
    await put(sku, { name: 'Flag' });
    await stock(conn, w, sku, { 'A-02': 1 });
    const refused = await put(sku, { active: false });
    expectProblem(refused, 409, 'invalid_state');
    expect(refused.body.errors).toEqual([{ field: 'active', message: expect.stringContaining('1 on hand') }]);
    await adjust(conn.db, { sku, warehouse: w.warehouse, location: 'A-02', delta: -1, reason: 'damaged' }, opts);
    const id = (await conn.db.select().from(products).where(eq(products.sku, sku)))[0].id;
    const openAlerts = () => conn.db.$count(alerts, sql`${alerts.productId} = ${id} AND ${alerts.status} <> 'resolved'`);
    // Out of stock after the adjustment above.
    expect(await openAlerts()).toBe(1);
    // Archived: nobody restocks it, so its alert resolves; restored, it is out of stock again.
    expect((await put(sku, { active: false })).body).toMatchObject({ active: false, version: 2 });
    expect(await openAlerts()).toBe(0);
    expect((await put(sku, { active: true })).body).toMatchObject({ active: true, version: 3 });
    expect(await openAlerts()).toBe(1);
    expect(await availabilityOf(conn.db, [sku])).toMatchObject({ items: [{ sku }], unknown: [] });
    expect((await changesOf(sku)).map((c) => c.action)).toEqual(['create', 'archive', 'restore']);
  });

  it('the audit trail cannot be rewritten', async () => {
    await expect(conn.db.execute(sql`UPDATE master_data_changes SET actor = 'someone' WHERE id = (SELECT max(id) FROM master_data_changes)`)).rejects.toMatchObject({ cause: { message: expect.stringContaining('append-only') } });
  });
});

describe('PUT body', () => {
  it('refuses unknown members, so a misspelt field is never a save that changed nothing', async () => {
    const sku = newSku();
    await put(sku, { name: 'Strict' });
    const r = await put(sku, { name: 'Strict', treshold: 5 });
    expectProblem(r, 422, 'validation_failed');
    expect(r.body.errors).toEqual([{ field: 'body', message: expect.stringContaining('treshold') }]);
  });
});
