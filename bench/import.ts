// Scenario 6 — CSV import of 100,000 products: a generated file (written to disk as a stream), then its dry run, its
// apply (one transaction) and a second apply of the same file (every row unchanged), then an opening-stock file for
// the same products into one bin (a ledger row each, alerts judged), each timed in rows per second, with the
// process's peak memory to show that the files are read as a stream, never held whole.
//   npm run bench:import -- [--rows 100000]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import type { ImportKind } from '@/lib/contracts/imports';
import { saveLocation } from '@/server/inventory/commands/locations';
import { saveWarehouse } from '@/server/inventory/commands/warehouses';
import { runImport } from '@/server/inventory/imports/run-import';
import { systemActor } from '@/server/inventory/kernel/actor';
import { fmt, loadavg, log, num, printTable } from './support/common';
import { runScenario } from './support/scenario';

const ROWS = num('rows', 100_000);
const opts = { actor: systemActor('bench') };

function ean13(i: number) {
  const body = `20${String(i).padStart(10, '0')}`;
  const sum = [...body].reverse().reduce((t, d, n) => t + Number(d) * (n % 2 === 0 ? 3 : 1), 0);
  return body + ((10 - (sum % 10)) % 10);
}

const skuOf = (i: number) => `BENCH-${String(i).padStart(6, '0')}`;

async function writeLines(file: string, header: string, line: (i: number) => string) {
  const out = fs.createWriteStream(file);
  out.write(`${header}\n`);
  for (let i = 0; i < ROWS; i++) if (!out.write(`${line(i)}\n`)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

// Every tenth name is quoted with a comma in it, as spreadsheets write them.
const productLine = (i: number) =>
  `${skuOf(i)},${i % 10 === 0 ? `"Linen shirt, size ${i % 7}"` : `Oak shelf no. ${i}`},${ean13(i)},each,${i % 20},${7 + (i % 5)},true`;
// Opening stock: every product into one bin; some at or under their threshold, so alerts open as they would.
const stockLine = (i: number) => `${skuOf(i)},BENCH,A-01,${(i * 7) % 50}`;

runScenario('import', { pool: 2 }, async ({ conn, loadBefore, report }) => {
  const file = path.join(os.tmpdir(), `onhand-bench-import-${process.pid}.csv`);
  const stockFile = path.join(os.tmpdir(), `onhand-bench-stock-${process.pid}.csv`);
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  try {
    await writeLines(file, 'sku,name,barcodes,unit,lowStockThreshold,leadTimeDays,active', productLine);
    await writeLines(stockFile, 'sku,warehouse,bin,quantity', stockLine);
    const size = fs.statSync(file).size;
    log(`${ROWS} rows, ${(size / 1024 / 1024).toFixed(1)} MB; rss before ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB`);
    await saveWarehouse(conn.db, { code: 'BENCH', name: 'Bench', mode: 'create' }, opts);
    await saveLocation(conn.db, { warehouse: 'BENCH', code: 'A-01', kind: 'storage', mode: 'create' }, opts);
    const timed = async (label: string, kind: ImportKind, from: string, dryRun: boolean) => {
      const t = performance.now();
      const r = await runImport(conn.db, fs.createReadStream(from), { kind, dryRun, reference: 'bench-opening.csv' }, opts);
      const s = (performance.now() - t) / 1000;
      if (r.fatal || r.counts.refused) throw new Error(`${label}: ${r.fatal ?? JSON.stringify(r.refused.slice(0, 3))}`);
      log(`${label}: ${s.toFixed(1)} s, ${JSON.stringify(r.counts)}`);
      return { label, kind, seconds: s, rowsPerSecond: ROWS / s, counts: r.counts };
    };
    const runs = [
      await timed('dry run (all new)', 'products', file, true),
      await timed('apply (all new, one transaction)', 'products', file, false),
      await timed('apply again (all unchanged)', 'products', file, false),
      await timed('opening stock, one bin (one transaction)', 'stock', stockFile, false),
    ];
    clearInterval(sampler);
    console.log('');
    console.log(`Scenario 6: CSV import of ${ROWS} products (${(size / 1024 / 1024).toFixed(1)} MB); load ${loadBefore[0]} → ${loadavg()[0]}; peak rss ${(peak / 1024 / 1024).toFixed(0)} MB`);
    printTable(['run', 'seconds', 'rows/s'], runs.map((r) => [r.label, fmt(r.seconds, 1), fmt(r.rowsPerSecond, 0)]));
    await report({
      scenario: 'import',
      title: '6. CSV import',
      settings: { rows: ROWS, bytes: size },
      lines: runs.map((r) => ({ label: `import ${ROWS / 1000}k ${r.kind === 'stock' ? 'stock rows' : 'products'}: ${r.label}`, unit: 'rows/s', value: r.rowsPerSecond, extra: { seconds: r.seconds, counts: r.counts } })),
      notes: [`peak rss ${(peak / 1024 / 1024).toFixed(0)} MB for a ${(size / 1024 / 1024).toFixed(1)} MB file`],
    });
  } finally {
    clearInterval(sampler);
    fs.rmSync(file, { force: true });
    fs.rmSync(stockFile, { force: true });
  }
});
