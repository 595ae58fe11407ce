// `npm run bench`: every scenario in turn, each in its own process with a fresh database (embedded, or a scratch
// database on DATABASE_URL's server), then one summary table and bench/results/chart.svg from this run's results.
//   npm run bench -- [--quick]   (--quick: short measurements, to check that everything runs)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeChart, readResults } from './support/chart';
import { fmt, log, printTable, RESULTS_DIR, targetText } from './support/common';

const quick = process.argv.includes('--quick');
const s = (full: number, short: number) => String(quick ? short : full);

const scenarios: { name: string; file: string; args: string[] }[] = [
  { name: '1. REST holds and releases, 10,000 SKUs', file: 'bench/api.ts', args: ['--seconds', s(12, 3), '--rounds', s(3, 1)] },
  { name: '2. Hot SKU', file: 'bench/hot-sku.ts', args: ['--seconds', s(12, 3), '--rounds', s(3, 1)] },
  { name: '3. Realtime, 1,000 clients', file: 'bench/realtime-latency.ts', args: ['--clients', '1000', '--seconds', s(15, 3)] },
  { name: '3. Realtime, 5,000 clients', file: 'bench/realtime-latency.ts', args: ['--clients', s(5000, 1000), '--seconds', s(10, 3)] },
  { name: '4. Availability reads', file: 'bench/availability.ts', args: ['--seconds', s(8, 2), '--rounds', s(2, 1)] },
  { name: '5. Stock search, 100,000 products', file: 'bench/search.ts', args: ['--repeat', s(25, 3)] },
  { name: '6. Scale: 100,000 products, 10,000 alerts', file: 'bench/scale.ts', args: ['--repeat', s(7, 3)] },
  { name: '7. CSV import, 100,000 products', file: 'bench/import.ts', args: ['--rows', s(100_000, 5_000)] },
  { name: '8. Floor speed, scan to feedback', file: 'bench/floor.ts', args: ['--scans', s(200, 20)] },
];

function main(): number {
  const started = Date.now();
  // One run, one chart: the last run's files go first.
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  for (const f of fs.readdirSync(RESULTS_DIR)) if (f.endsWith('.json') || f === 'chart.svg') fs.rmSync(path.join(RESULTS_DIR, f));
  log(`${os.cpus().length} CPUs, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; ${scenarios.length} runs${quick ? ' (quick)' : ''}`);
  const failed: string[] = [];
  for (const sc of scenarios) {
    const t = Date.now();
    log(`── ${sc.name}`);
    const r = spawnSync(process.execPath, ['--import', 'tsx', sc.file, ...sc.args], { stdio: 'inherit', env: process.env });
    log(`── ${sc.name}: ${r.status === 0 ? 'done' : `FAILED (${r.status ?? r.signal})`} in ${((Date.now() - t) / 1000).toFixed(0)} s`);
    if (r.status !== 0) failed.push(sc.name);
  }
  const results = readResults(RESULTS_DIR);
  console.log('');
  console.log(`Summary (${((Date.now() - started) / 60_000).toFixed(1)} min, load now ${os.loadavg().map((l) => l.toFixed(1)).join(' ')})`);
  printTable(
    ['scenario', 'figure', 'Onhand', 'baseline', 'ratio', 'target', 'met'],
    results.flatMap((r) =>
      r.lines.map((l) => [
        r.title,
        l.label,
        `${fmt(l.value, l.value < 100 ? 1 : 0)} ${l.unit}`,
        l.baseline === undefined ? '' : `${fmt(l.baseline, 0)} ${l.unit}`,
        l.ratio === undefined ? '' : `${l.ratio.toFixed(2)}×`,
        targetText(l),
        l.met === undefined ? '' : l.met ? 'yes' : 'no',
      ]),
    ),
    2,
  );
  for (const r of results) for (const n of r.notes) console.log(`· ${r.title}: ${n}`);
  const chart = writeChart(RESULTS_DIR);
  if (chart) log(`chart: ${path.relative(process.cwd(), chart)}`);
  if (failed.length) log(`failed: ${failed.join('; ')}`);
  return failed.length ? 1 : 0;
}

process.exit(main());
