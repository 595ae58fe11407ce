// Scenario 5 — the stock page's search on 100,000 products: the server's time for one search (the stock list's
// query as the page runs it: ILIKE on SKU and name through their trigram indexes, a GTIN through the barcode index,
// then the figures of the page's 50 rows), one user at a time, over a mix of what people type.
//   npm run bench:search -- [--products 100000] [--repeat 25]
import { sql } from 'drizzle-orm';
import { ean13CheckDigit } from '@/server/cli/demo/seed-data';
import { stockList } from '@/server/inventory/read/stock-list';
import { fmt, loadavg, log, num, percentiles, printTable, type ResultLine } from './support/common';
import { runScenario } from './support/scenario';
import { makeWorld } from './support/world';

const PRODUCTS = num('products', 100_000);
const REPEAT = num('repeat', 25);

const items = ['Linen Shirt', 'Wool Scarf', 'Desk Lamp', 'Throw Blanket', 'Coffee Mug', 'Canvas Tote', 'Oak Shelf', 'Glass Vase', 'Rain Jacket', 'Trail Shoe'];
const codes = ['SHT', 'SCF', 'LMP', 'BLK', 'MUG', 'TOT', 'SHF', 'VAS', 'JKT', 'SHO'];
const colours = ['Blue', 'Sage', 'Charcoal', 'Sand', 'Rust', 'White', 'Black', 'Ochre', 'Navy', 'Olive', 'Blush', 'Slate'];
const sizes = ['XS', 'S', 'M', 'L', 'XL', 'One size'];
const gtin = (i: number) => {
  const first12 = `50${String(1_000_000_000 + i * 7919).slice(-10)}`;
  return `0${first12}${ean13CheckDigit(first12)}`;
};

runScenario('search', { pool: 2 }, async ({ conn, loadBefore, report }) => {
  log(`making ${PRODUCTS} products…`);
  const world = await makeWorld(conn.sql, {
    products: PRODUCTS,
    stock: (i) => (i % 10 === 0 ? 0 : 10 + (i % 90)),
    skus: (i) => `${codes[i % 10]}-${colours[Math.floor(i / 10) % 12].slice(0, 3).toUpperCase()}-${String(i).padStart(6, '0')}`,
    names: (i) => `${colours[Math.floor(i / 10) % 12]} ${items[i % 10]}, ${sizes[Math.floor(i / 120) % 6]} no. ${i}`,
    barcodes: gtin,
  });
  // What people type in the stock page's search box, by kind.
  const queries: { kind: string; q: (n: number) => string }[] = [
    { kind: 'SKU prefix (many matches)', q: (n) => `${codes[n % 10]}-${colours[n % 12].slice(0, 3).toUpperCase()}` },
    { kind: 'SKU fragment (one match)', q: (n) => String(1000 + ((n * 7777) % 90_000)).padStart(6, '0') },
    { kind: 'name words (many matches)', q: (n) => `${colours[n % 12]} ${items[(n * 3) % 10]}`.toLowerCase() },
    { kind: 'name fragment (a few)', q: (n) => `no. ${5000 + ((n * 911) % 90_000)}` },
    { kind: 'barcode (GTIN-13 scanned)', q: (n) => gtin((n * 313) % PRODUCTS).slice(1) },
    { kind: 'no match', q: (n) => `zq${n}x` },
  ];
  const byKind = new Map<string, number[]>();
  const all: number[] = [];
  const totals = new Map<string, number>();
  // Warm the caches a user would find warm.
  for (const k of queries) for (let n = 0; n < 3; n++) await stockList(conn.db, { q: k.q(n) });
  log(`${queries.length} kinds of query × ${REPEAT}, one at a time…`);
  for (let n = 0; n < REPEAT; n++) {
    for (const k of queries) {
      const t = performance.now();
      const r = await stockList(conn.db, { q: k.q(n + 3) });
      const ms = performance.now() - t;
      all.push(ms);
      byKind.set(k.kind, [...(byKind.get(k.kind) ?? []), ms]);
      totals.set(k.kind, r.total);
    }
  }
  // The unfiltered first page (what the page shows before anyone types), for comparison.
  const firstPage: number[] = [];
  for (let n = 0; n < REPEAT; n++) {
    const t = performance.now();
    await stockList(conn.db, {});
    firstPage.push(performance.now() - t);
  }
  // Where the slowest kind's time goes.
  const slowest = [...byKind].sort((a, b) => percentiles(b[1]).p50 - percentiles(a[1]).p50)[0][0];
  const slowQ = queries.find((k) => k.kind === slowest)!.q(1);
  const plan = (await conn.db.transaction(async (tx) => {
    await tx.execute(sql`SET LOCAL enable_seqscan = off`);
    return tx.execute(sql`EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) SELECT count(*) FROM products p WHERE p.sku ILIKE ${`%${slowQ}%`} OR p.name ILIKE ${`%${slowQ}%`}`);
  })) as unknown as { 'QUERY PLAN': string }[];
  const exec = plan.map((r) => r['QUERY PLAN']).find((l) => l.startsWith('Execution Time'));

  const p = percentiles(all);
  const fp = percentiles(firstPage);
  console.log('');
  console.log(`Scenario 5: stock page search on ${PRODUCTS} products (${world.skus.length} made), server time per search; load ${loadBefore[0]} → ${loadavg()[0]}`);
  printTable(
    ['query', 'matches', 'p50 ms', 'p95 ms', 'max ms'],
    [
      ...[...byKind].map(([kind, ms]) => {
        const s = percentiles(ms);
        return [kind, String(totals.get(kind) ?? ''), fmt(s.p50, 1), fmt(s.p95, 1), fmt(s.max, 1)];
      }),
      ['all searches', '', fmt(p.p50, 1), fmt(p.p95, 1), fmt(p.max, 1)],
      ['first page, no search', String(PRODUCTS), fmt(fp.p50, 1), fmt(fp.p95, 1), fmt(fp.max, 1)],
    ],
  );
  console.log(`slowest kind: ${slowest} (“${slowQ}”): the match step alone, EXPLAIN ANALYZE: ${exec ?? '?'}`);
  const lines: ResultLine[] = [
    { label: 'search, 100k products, p50', unit: 'ms', value: p.p50 },
    { label: 'search, 100k products, p95', unit: 'ms', value: p.p95 },
  ];
  await report({
    scenario: 'search',
    title: '5. Stock search',
    settings: { products: PRODUCTS, repeat: REPEAT },
    lines: lines.map((l) => ({ ...l, extra: { byKind: Object.fromEntries([...byKind].map(([k, ms]) => [k, { matches: totals.get(k), ...percentiles(ms) }])), firstPage: fp } })),
    notes: [`slowest kind: ${slowest}; its match step: ${exec ?? '?'}`],
  });
});
