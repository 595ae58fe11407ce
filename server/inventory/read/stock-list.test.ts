import { sql, type SQL } from 'drizzle-orm';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { connect, type Executor } from '@/db/client';
import { migrateDatabase } from '@/db/migrate';
import { createDatabaseIfMissing, dropDatabase } from '@/db/provision';
import { products } from '@/db/schema';
import { PgDialect } from 'drizzle-orm/pg-core';
import { gtinCheckDigit } from '@/lib/scan';
import { adjust, receive } from '@/server/inventory';
import { makeWorld, testActor, testConnection, uid } from '@/server/testing/fixtures';
import { stockList } from './stock-list';

const conn = testConnection();
afterAll(() => conn.close());

const opts = { actor: testActor };

describe('stockList', () => {
  it('finds by part of the SKU or name and by any barcode form, with figures over sellable bins', async () => {
    const w = await makeWorld(conn, { products: 3 });
    const [a, b] = w.skus;
    const body = `50${String(Date.now()).slice(-10)}`;
    const ean = body + gtinCheckDigit(body);
    await conn.db.update(products).set({ barcodes: [`0${ean}`], name: `Quartz Lamp ${w.warehouse}` }).where(sql`sku = ${a}`);
    await receive(conn.db, { sku: a, warehouse: w.warehouse, location: 'PICK-01', qty: 7 }, opts);
    await receive(conn.db, { sku: a, warehouse: w.warehouse, location: 'RECV', qty: 5 }, opts);
    await receive(conn.db, { sku: b, warehouse: w.warehouse, location: 'A-01', qty: 2 }, opts);

    const bySku = await stockList(conn.db, { q: a.slice(2, 10).toLowerCase() });
    expect(bySku.rows.map((r) => r.sku)).toContain(a);
    const row = bySku.rows.find((r) => r.sku === a)!;
    expect(row).toMatchObject({ onHand: 12, reserved: 0, available: 7, bins: ['PICK-01', 'RECV'] });

    const byName = await stockList(conn.db, { q: `quartz lamp ${w.warehouse.toLowerCase()}` });
    expect(byName.rows.map((r) => r.sku)).toEqual([a]);
    const byEan = await stockList(conn.db, { q: ean });
    expect(byEan.rows.map((r) => r.sku)).toEqual([a]);
    expect(byEan.total).toBe(1);
  });

  it('filters by warehouse, bin and status, sorts by a figure and pages', async () => {
    const w = await makeWorld(conn, { products: 4 });
    const [a, b, c, d] = w.skus;
    await receive(conn.db, { sku: a, warehouse: w.warehouse, location: 'A-01', qty: 30 }, opts);
    await receive(conn.db, { sku: b, warehouse: w.warehouse, location: 'A-01', qty: 3 }, opts);
    await receive(conn.db, { sku: c, warehouse: w.warehouse, location: 'A-02', qty: 10 }, opts);
    await receive(conn.db, { sku: d, warehouse: w.warehouse, location: 'A-02', qty: 1 }, opts);
    await adjust(conn.db, { sku: d, warehouse: w.warehouse, location: 'A-02', delta: -1, reason: 'lost' }, opts);
    await conn.db.update(products).set({ lowStockThreshold: 5 }).where(sql`sku IN (${a}, ${b}, ${c}, ${d})`);

    const inWarehouse = await stockList(conn.db, { warehouse: w.warehouse, sort: 'available', dir: 'desc' });
    expect(inWarehouse.rows.map((r) => r.sku)).toEqual([a, c, b, d]);
    expect(inWarehouse.total).toBe(4);

    const inBin = await stockList(conn.db, { warehouse: w.warehouse, location: 'A-01' });
    expect(inBin.rows.map((r) => r.sku).sort()).toEqual([a, b].sort());

    const low = await stockList(conn.db, { warehouse: w.warehouse, status: 'low_stock' });
    expect(low.rows.map((r) => r.sku)).toEqual([b]);
    const out = await stockList(conn.db, { warehouse: w.warehouse, status: 'out_of_stock' });
    expect(out.rows.map((r) => r.sku)).toEqual([d]);

    const page2 = await stockList(conn.db, { warehouse: w.warehouse, sort: 'available', dir: 'desc', page: 2, pageSize: 3 });
    expect(page2.rows.map((r) => r.sku)).toEqual([d]);
    expect(page2.total).toBe(4);
  });
});

// Stock search on a large catalogue: the plan must use the trigram indexes. Runs in a scratch database of its
// own so the bulk rows never slow the other tests; 10k products by default to keep the suite light on a shared
// machine, ONHAND_SEARCH_ROWS=100000 for the figures in docs/benchmarks.md. The plan and timings are printed.
const rows = Number(process.env.ONHAND_SEARCH_ROWS ?? 10_000);
describe(`stock search on ${rows.toLocaleString('en')} products`, () => {
  it('uses the trigram GIN indexes and answers in milliseconds', { timeout: 300_000 }, async () => {
    const name = `onhand_search_${uid().toLowerCase()}`;
    const admin = new URL(inject('databaseUrl'));
    admin.pathname = '/postgres';
    await createDatabaseIfMissing(admin.toString(), name);
    const url = new URL(admin);
    url.pathname = `/${name}`;
    await migrateDatabase(url.toString());
    const big = connect(url.toString(), { max: 2 });
    try {
      await fill(big.db, rows);
      const ean = `501234567890${gtinCheckDigit('501234567890')}`;
      await big.db.execute(sql`UPDATE products SET barcodes = ARRAY[${`0${ean}`}] WHERE id = 4242`);
      const report: string[] = [];
      for (const q of ['ochre lin', 'MUG-BLU', 'mug', 'model 4242', ean]) {
        const { plan, ms, rows } = await explain(big.db, (db) => stockList(db, { q }));
        report.push(`q=${JSON.stringify(q)}: ${rows} rows, ${ms.toFixed(1)} ms\n${plan}`);
        expect(plan).toMatch(/Bitmap Index Scan on products_(sku|name)_trgm_idx/);
        expect(plan).not.toMatch(/Seq Scan on products/);
      }
      const unfiltered = await explain(big.db, (db) => stockList(db, {}));
      report.push(`no search, sorted by SKU, page 1: ${unfiltered.ms.toFixed(1)} ms\n${unfiltered.plan}`);
      const byAvailable = await explain(big.db, (db) => stockList(db, { sort: 'available', dir: 'desc' }));
      report.push(`no search, sorted by available: ${byAvailable.ms.toFixed(1)} ms`);
      const found = await stockList(big.db, { q: ean });
      expect(found.rows.map((r) => r.id)).toEqual([4242]);
      console.log(`\n${report.join('\n\n')}\n`);
    } finally {
      await big.close();
      await dropDatabase(admin.toString(), name);
    }
  });
});

async function fill(db: Executor, n: number) {
  await db.execute(sql`INSERT INTO warehouses (code, name) VALUES ('BIG', 'Bulk')`);
  await db.execute(sql`
    INSERT INTO locations (warehouse_id, code, kind, sellable)
    SELECT w.id, 'P-' || lpad(i::text, 3, '0'), 'pick'::location_kind, true FROM warehouses w, generate_series(1, 200) i
    UNION ALL SELECT w.id, 'A-' || lpad(i::text, 3, '0'), 'storage'::location_kind, true FROM warehouses w, generate_series(1, 200) i`);
  // Names and SKUs like the demo catalogue's, so trigram selectivity is realistic.
  await db.execute(sql`
    INSERT INTO products (sku, name, barcodes, low_stock_threshold)
    SELECT (ARRAY['MUG','BTL','TSH','SCK','NBK','CBL','CDL','TWL','PLT','BAG','LMP','BLK'])[1 + i % 12] || '-' ||
           (ARRAY['BLU','SAG','CHA','SAN','RUS','WHI','BLA','OCH','NAV','OLI','BLS','SLA'])[1 + (i / 12) % 12] || '-' || lpad(i::text, 6, '0'),
           (ARRAY['Blue','Sage','Charcoal','Sand','Rust','White','Black','Ochre','Navy','Olive','Blush','Slate'])[1 + (i / 12) % 12] || ' ' ||
           (ARRAY['Cotton','Linen','Wool','Steel','Glass','Oak','Soy','Canvas'])[1 + (i / 7) % 8] || ' ' ||
           (ARRAY['Mug','Water Bottle','T-Shirt','Socks','Notebook','USB-C Cable','Candle','Towel','Plant Pot','Tote Bag','Desk Lamp','Throw Blanket'])[1 + i % 12] ||
           ', model ' || i,
           ARRAY['0' || lpad((5000000000000 + i * 7)::text, 13, '0')],
           5 + i % 16
    FROM generate_series(1, ${n}) i`);
  await db.execute(sql`
    INSERT INTO stock_levels (product_id, location_id, on_hand, reserved, version)
    SELECT p.id, l.id, 1 + (p.id * 7) % 90, (p.id * 3) % 2, 1 FROM products p
    JOIN locations l ON l.code = 'P-' || lpad((1 + p.id % 200)::text, 3, '0')
    UNION ALL
    SELECT p.id, l.id, (p.id * 13) % 120, 0, 1 FROM products p
    JOIN locations l ON l.code = 'A-' || lpad((1 + p.id % 200)::text, 3, '0') WHERE p.id % 3 <> 0`);
  await db.execute(sql`ANALYZE`);
}

// Runs fn against an executor that EXPLAINs (ANALYZE) each query instead of returning rows (SET passes through);
// the page query is the first one explained. Then times the real call.
async function explain(db: Executor, fn: (db: Executor) => Promise<{ rows: unknown[] }>) {
  const plans: string[] = [];
  const dialect = new PgDialect();
  const explaining = (target: Executor): Executor =>
    ({
      execute: async (q: SQL) => {
        if (dialect.sqlToQuery(q).sql.trimStart().startsWith('SET')) return target.execute(q);
        const rows = (await target.execute(sql`EXPLAIN (ANALYZE, COSTS OFF, BUFFERS OFF) ${q}`)) as unknown as { 'QUERY PLAN': string }[];
        plans.push(rows.map((r) => r['QUERY PLAN']).join('\n'));
        return [{ n: 0, total: 0 }];
      },
      transaction: (body: (tx: Executor) => Promise<unknown>) => target.transaction((tx) => body(explaining(tx))),
    }) as unknown as Executor;
  await fn(explaining(db));
  await fn(db); // warm
  const t0 = performance.now();
  const res = await fn(db);
  return { plan: plans[0], ms: performance.now() - t0, rows: res.rows.length };
}
