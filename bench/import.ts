// Scenario 6 — CSV import of 100,000 products: a generated file (written to disk as a stream), then its dry run, its
// apply (one transaction) and a second apply of the same file (every row unchanged), each timed in rows per second,
// with the process's peak memory to show that the file is read as a stream, never held whole.
//   npm run bench:import -- [--rows 100000]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { systemActor } from '@/server/inventory/kernel/actor';
import { runImport } from '@/server/inventory/imports/run-import';
import { fmt, loadavg, log, num, printTable } from './support/common';
import { runScenario } from './support/scenario';

const ROWS = num('rows', 100_000);
const opts = { actor: systemActor('bench') };

function ean13(i: number) {
  const body = `20${String(i).padStart(10, '0')}`;
  const sum = [...body].reverse().reduce((t, d, n) => t + Number(d) * (n % 2 === 0 ? 3 : 1), 0);
  return body + ((10 - (sum % 10)) % 10);
}

async function writeFile(file: string) {
  const out = fs.createWriteStream(file);
  out.write('sku,name,barcodes,unit,lowStockThreshold,leadTimeDays,active\n');
  for (let i = 0; i < ROWS; i++) {
    // Every tenth name is quoted with a comma in it, as spreadsheets write them.
    const name = i % 10 === 0 ? `"Linen shirt, size ${i % 7}"` : `Oak shelf no. ${i}`;
    if (!out.write(`BENCH-${String(i).padStart(6, '0')},${name},${ean13(i)},each,${i % 20},${7 + (i % 5)},true\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

runScenario('import', { pool: 2 }, async ({ conn, loadBefore, report }) => {
  const file = path.join(os.tmpdir(), `onhand-bench-import-${process.pid}.csv`);
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  try {
    await writeFile(file);
    const size = fs.statSync(file).size;
    log(`${ROWS} rows, ${(size / 1024 / 1024).toFixed(1)} MB; rss before ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB`);
    const timed = async (label: string, dryRun: boolean) => {
      const t = performance.now();
      const r = await runImport(conn.db, fs.createReadStream(file), { kind: 'products', dryRun }, opts);
      const s = (performance.now() - t) / 1000;
      if (r.fatal || r.counts.refused) throw new Error(`${label}: ${r.fatal ?? JSON.stringify(r.refused.slice(0, 3))}`);
      log(`${label}: ${s.toFixed(1)} s, ${JSON.stringify(r.counts)}`);
      return { label, seconds: s, rowsPerSecond: ROWS / s, counts: r.counts };
    };
    const runs = [await timed('dry run (all new)', true), await timed('apply (all new, one transaction)', false), await timed('apply again (all unchanged)', false)];
    clearInterval(sampler);
    console.log('');
    console.log(`Scenario 6: CSV import of ${ROWS} products (${(size / 1024 / 1024).toFixed(1)} MB); load ${loadBefore[0]} → ${loadavg()[0]}; peak rss ${(peak / 1024 / 1024).toFixed(0)} MB`);
    printTable(['run', 'seconds', 'rows/s'], runs.map((r) => [r.label, fmt(r.seconds, 1), fmt(r.rowsPerSecond, 0)]));
    await report({
      scenario: 'import',
      title: '6. CSV import',
      settings: { rows: ROWS, bytes: size },
      lines: runs.map((r) => ({ label: `import ${ROWS / 1000}k products: ${r.label}`, unit: 'rows/s', value: r.rowsPerSecond, extra: { seconds: r.seconds, counts: r.counts } })),
      notes: [`peak rss ${(peak / 1024 / 1024).toFixed(0)} MB for a ${(size / 1024 / 1024).toFixed(1)} MB file`],
    });
  } finally {
    clearInterval(sampler);
    fs.rmSync(file, { force: true });
  }
});
