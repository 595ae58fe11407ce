import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getConnection } from '@/db/client';
import { products } from '@/db/schema';
import { BASE, call, expectProblem, makeKey, type TestKey } from '@/server/api/test-support';
import { makeWorld, testConnection, uid, type World } from '@/server/testing/fixtures';
import { POST } from './route';

const conn = testConnection();
let w: World;
let writer: TestKey;
beforeAll(async () => {
  w = await makeWorld(conn, { products: 1 });
  writer = await makeKey(conn, ['catalog:write']);
});
afterAll(async () => {
  await conn.close();
  await getConnection().close();
});

const upload = (query: string, csv: string, headers: Record<string, string> = {}) =>
  call(
    POST,
    new Request(`${BASE}/api/v1/imports?${query}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${writer.secret}`, 'Idempotency-Key': crypto.randomUUID(), 'Content-Type': 'text/csv', ...headers },
      body: csv,
    }),
  );

describe('POST /api/v1/imports', () => {
  it('a dry run (the default) answers the report and writes nothing; dryRun=false applies; the same file again changes nothing', async () => {
    const sku = `API-${uid()}`;
    const csv = `sku,name,threshold\n${sku},Lamp,4\n${w.skus[0]},Renamed,\n`;
    const dry = await upload('kind=products', csv);
    expect(dry.status, dry.text).toBe(200);
    expect(dry.body).toMatchObject({ dryRun: true, applied: false, counts: { new: 1, changed: 1, refused: 0 } });
    expect(await conn.db.$count(products, eq(products.sku, sku))).toBe(0);

    const applied = await upload('kind=products&dryRun=false', csv);
    expect(applied.status, applied.text).toBe(200);
    expect(applied.body).toMatchObject({ applied: true, counts: { new: 1, changed: 1 } });
    const [row] = await conn.db.select().from(products).where(eq(products.sku, sku));
    expect(row).toMatchObject({ name: 'Lamp', lowStockThreshold: 4 });

    const again = await upload('kind=products&dryRun=false', csv);
    expect(again.body).toMatchObject({ applied: true, counts: { new: 0, changed: 0, unchanged: 2 } });
  });

  it('an apply with a refused row is 422 with the refused lines, and writes nothing', async () => {
    const sku = `API-${uid()}`;
    const r = await upload('kind=products&dryRun=false', `sku,name\n${sku},Good\n${sku},Twice\n`);
    expectProblem(r, 422, 'validation_failed');
    expect(r.body.detail).toBe('1 row was refused: nothing was written.');
    expect(r.body.report.refused).toEqual([{ line: 3, key: sku, reason: `duplicate SKU ${sku} in the file (first at line 2)` }]);
    expect(await conn.db.$count(products, eq(products.sku, sku))).toBe(0);
  });

  it('a file that cannot be read, a bad query or an oversized upload is refused clearly', async () => {
    const missing = await upload('kind=stock', `sku,qty\nX,1\n`);
    expectProblem(missing, 422, 'validation_failed');
    expect(missing.body.detail).toMatch(/Missing required columns: Warehouse code, Bin code/);
    const badKind = await upload('kind=orders', 'a\n1\n');
    expectProblem(badKind, 422, 'validation_failed');
    expect(badKind.text).toMatch(/must be one of products, locations, stock/);
    const badMapping = await upload(`kind=products&mapping=${encodeURIComponent('{oops')}`, 'sku\nA\n');
    expectProblem(badMapping, 422, 'validation_failed');
    const big = await upload('kind=products', 'sku\nA\n', { 'Content-Length': String(300 * 1024 * 1024) });
    expectProblem(big, 413, 'payload_too_large');
    expect(big.body.detail).toMatch(/larger than 200 MB/);
  });
});
