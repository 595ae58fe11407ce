import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));
vi.mock('next/headers', async () => (await import('@/server/testing/request-scope')).nextHeadersMock);

import { parse } from 'csv-parse/sync';
import { getConnection } from '@/db/client';
import { products, stockLevels } from '@/db/schema';
import { GET as stockExport } from '@/app/api/dashboard/exports/stock/route';
import { GET as productExport } from '@/app/api/dashboard/exports/products/route';
import { GET as ledgerExport } from '@/app/api/dashboard/exports/ledger/route';
import { makeWorld, testConnection, type World } from '@/server/testing/fixtures';
import { as, signInAs, type TestSession } from '@/server/testing/request-scope';
import { adjust } from '../commands/adjust';
import { receive } from '../commands/receive';
import { systemActor } from '../kernel/actor';
import { stockAsOfRows } from './exports';

const conn = testConnection();
let w: World;
let manager: TestSession;
const past = (daysAgo: number) => ({ actor: systemActor('test'), now: new Date(Date.now() - daysAgo * 86_400_000) });
beforeAll(async () => {
  w = await makeWorld(conn, { products: 2 });
  manager = await signInAs(conn, 'manager');
  const [a, b] = w.skus;
  await receive(conn.db, { sku: a, warehouse: w.warehouse, location: 'A-01', qty: 10 }, past(10));
  await receive(conn.db, { sku: b, warehouse: w.warehouse, location: 'A-02', qty: 4 }, past(9));
  await adjust(conn.db, { sku: a, warehouse: w.warehouse, location: 'A-01', delta: -3, reason: 'damaged' }, past(5));
  await receive(conn.db, { sku: a, warehouse: w.warehouse, location: 'A-02', qty: 7 }, past(1));
});
afterAll(async () => {
  await conn.close();
  await getConnection().close();
});

const rowsOf = async (asOf: Date) => {
  const out: unknown[][] = [];
  for await (const r of stockAsOfRows(conn.db, { asOf, warehouse: w.warehouse })) out.push([r[0], r[3], r[4]]);
  return out;
};
const download = async (handler: (r: Request) => Promise<Response>, path: string) => {
  const res = await as(manager, () => handler(new Request(`http://onhand.test${path}`)));
  return { res, rows: parse(await res.text()) as string[][] };
};

describe('exports', () => {
  it('stock as of an instant is the ledger summed up to it; as of now it equals the levels', async () => {
    const [a, b] = w.skus;
    expect(await rowsOf(past(11).now)).toEqual([]);
    expect(await rowsOf(past(7).now)).toEqual([[a, 'A-01', 10], [b, 'A-02', 4]]);
    expect(await rowsOf(past(3).now)).toEqual([[a, 'A-01', 7], [b, 'A-02', 4]]);
    const now = await rowsOf(new Date());
    expect(now).toEqual([[a, 'A-01', 7], [a, 'A-02', 7], [b, 'A-02', 4]]);
    const levels = await conn.db.select({ productId: stockLevels.productId, onHand: stockLevels.onHand }).from(stockLevels).where(sql`${stockLevels.productId} IN (${w.productIds[a]}, ${w.productIds[b]})`);
    expect(levels.reduce((t, l) => t + l.onHand, 0)).toBe(18);

    const { res, rows } = await download(stockExport, `/api/dashboard/exports/stock?warehouse=${w.warehouse}&asOf=${encodeURIComponent(past(3).now.toISOString())}`);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(rows).toEqual([
      ['sku', 'name', 'warehouse', 'bin', 'on_hand', 'reserved', 'available'],
      [a, `Test product ${a}`, w.warehouse, 'A-01', '7', '0', '7'],
      [b, `Test product ${b}`, w.warehouse, 'A-02', '4', '0', '4'],
    ]);
  });

  it('the ledger over a range, and products with formula-looking text neutralised', async () => {
    const from = past(6).now.toISOString();
    const to = past(0.5).now.toISOString();
    const { rows } = await download(ledgerExport, `/api/dashboard/exports/ledger?warehouse=${w.warehouse}&from=${from}&to=${to}`);
    expect(rows.slice(1).map((r) => [r[2], r[4], r[6], r[10]])).toEqual([
      [w.skus[0], 'A-01', '-3', 'damaged'],
      [w.skus[0], 'A-02', '7', 'received'],
    ]);
    await conn.db.update(products).set({ name: '=HYPERLINK("http://x")' }).where(eq(products.sku, w.skus[1]));
    const exported = await download(productExport, '/api/dashboard/exports/products');
    expect(exported.rows[0]).toEqual(['sku', 'name', 'barcodes', 'unit', 'lowStockThreshold', 'leadTimeDays', 'active']);
    expect(exported.rows.find((r) => r[0] === w.skus[1])).toEqual([w.skus[1], `'=HYPERLINK("http://x")`, '', 'each', '0', '7', 'true']);
    const bad = await as(manager, () => ledgerExport(new Request('http://onhand.test/api/dashboard/exports/ledger?from=2026-02-01&to=2026-01-01')));
    expect(bad.status).toBe(422);
  });
});
