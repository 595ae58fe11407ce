// `npm run soak [-- --minutes 10 --sample-seconds 30 --storefronts 40 --staff 6 --churners 1]`: production's shape
// (two built app processes, two sidecars, one embedded PostgreSQL of its own) under a steady mixed load with live
// clients for a while, and on each sidecar churners that live at its caps (system/churn.ts): storefront sockets
// from an address of their own opening up to the per-address cap and one over, subscribing up to the SKU cap and
// one over, dropping, reconnecting and closing; staff sockets reusing a token and joining past the rate. Samples
// resident memory and V8 heap of every process, the database connections of each and the churn so far, prints
// them as a table, and at the end checks the invariants, that every request took effect exactly as answered,
// that every client shows the database's figures and that every cap refused exactly what it should. Exit 1 if
// any of that fails, or memory or connections grew past the limits (--max-heap-growth-mb, default 64;
// connections never above the pool). The caps are the sidecar's defaults unless STOREFRONT_SOCKETS_PER_ADDRESS or
// STOREFRONT_SKUS_PER_ADDRESS say otherwise, as in production.
import { randomBytes } from 'node:crypto';
import { connect } from '@/db/client';
import { products } from '@/db/schema';
import { defaultStorefrontLimits } from '@/server/realtime/storefront-namespace';
import { clientMismatches, effectMismatches, verify, verifyIssues, waitForConvergence } from '@/server/testing/system/checks';
import { StaffChurner, StorefrontChurner, totalChurn, type ChurnCounts } from '@/server/testing/system/churn';
import { StaffTab, StorefrontPage, type LiveClient } from '@/server/testing/system/clients';
import { Cluster } from '@/server/testing/system/cluster';
import { Load } from '@/server/testing/system/load';
import { makeWorld } from '@/server/testing/system/world';
import { nextBin, run } from './processes';
import { buildEnv, buildIsStale } from './runtime-env';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
  return v;
};
const minutes = arg('minutes', 10);
const sampleSeconds = arg('sample-seconds', 30);
const storefronts = arg('storefronts', 40);
const staff = arg('staff', 6);
const maxHeapGrowthMb = arg('max-heap-growth-mb', 64);
const churnersPerSidecar = arg('churners', 1);
// The caps the sidecars enforce: their defaults, or what the environment (passed on to them) sets.
const envCap = (v: string | undefined, fallback: number) => (Number.isSafeInteger(Number(v)) && Number(v) > 0 ? Number(v) : fallback);
const caps = {
  socketsPerAddress: envCap(process.env.STOREFRONT_SOCKETS_PER_ADDRESS, defaultStorefrontLimits.socketsPerAddress),
  skusPerAddress: envCap(process.env.STOREFRONT_SKUS_PER_ADDRESS, defaultStorefrontLimits.skusPerAddress),
};
const POOL = Number(process.env.DATABASE_POOL_SIZE ?? 10);
const log = (s: string) => console.log(`[soak] ${s}`);
const mb = (b: number | null) => (b === null ? '–' : (b / 2 ** 20).toFixed(1));

type Sample = { at: number; applied: number; rss: Record<string, number>; heap: Record<string, number | null>; conns: Record<string, number>; churn: ChurnCounts };

async function main(): Promise<number> {
  if (buildIsStale()) {
    log('building the app…');
    if ((await run([nextBin(), 'build'], buildEnv())) !== 0) return 1;
  }
  const cluster = await Cluster.start({ workDir: `.data/soak-${process.pid}`, heapReports: true, log });
  const conn = connect(cluster.url, { max: 4, connection: { application_name: 'onhand-system-floor' } });
  const clients: LiveClient[] = [];
  const churners: (StorefrontChurner | StaffChurner)[] = [];
  let load: Load | null = null;
  let stopped: Promise<void> | null = null;
  const stop = () =>
    (stopped ??= (async () => {
      await Promise.all(churners.map((c) => c.stop()));
      await load?.stop();
      clients.forEach((c) => c.close());
      await conn.close();
      await cluster.stop();
    })());
  process.once('SIGINT', () => void stop().then(() => process.exit(130)));
  try {
    const world = await makeWorld(conn, { products: 40, openingStock: 20 });
    const churnSkus = await makeChurnSkus(conn, caps.skusPerAddress + 1);
    await cluster.startAll();
    let address = 0;
    for (const s of cluster.sidecars) {
      for (let i = 0; i < storefronts / cluster.sidecars.length; i++) clients.push(new StorefrontPage(`storefront-${s.index}.${i + 1}`, s, world.skus));
      for (let i = 0; i < staff / cluster.sidecars.length; i++) clients.push(new StaffTab(`staff-${s.index}.${i + 1}`, s, world, () => cluster.apps, cluster.secret));
      for (let i = 0; i < churnersPerSidecar; i++) {
        // 127.0.1.x: no other client comes from there, so the per-address caps count this churner alone.
        churners.push(new StorefrontChurner(`churn-storefront-${s.index}.${i + 1}`, s, `127.0.1.${++address}`, caps, churnSkus));
        churners.push(new StaffChurner(`churn-staff-${s.index}.${i + 1}`, s, world, cluster.secret));
      }
    }
    load = new Load({ world, conn, apps: () => cluster.apps, workers: 6, thinkMs: 20, giveUpMs: 60_000 });
    load.start();
    churners.forEach((c) => c.start());
    log(`${cluster.procs.length} processes, ${clients.length} clients, ${churners.length} churners at the caps (${caps.socketsPerAddress} storefront sockets and ${caps.skusPerAddress} SKUs per address), ${minutes} min of load; sampling every ${sampleSeconds} s`);

    const samples: Sample[] = [];
    const sample = async (): Promise<Sample> => {
      const s: Sample = { at: Date.now(), applied: load!.applied, rss: {}, heap: {}, conns: await cluster.connections(), churn: totalChurn(churners) };
      for (const p of cluster.procs) {
        s.rss[p.name] = cluster.rss(p);
        s.heap[p.name] = await cluster.heapUsed(p);
      }
      samples.push(s);
      printRow(cluster.procs.map((p) => p.name), s, samples[0].at);
      return s;
    };
    // The first sample after a minute's warm-up (pools filled, code paths compiled), the rest every interval.
    const t0 = Date.now();
    const warmup = Math.min(60_000, (minutes * 60_000) / 5);
    await new Promise((r) => setTimeout(r, warmup));
    printHeader(cluster.procs.map((p) => p.name));
    await sample();
    const end = t0 + minutes * 60_000;
    while (Date.now() + sampleSeconds * 1000 < end) {
      await new Promise((r) => setTimeout(r, sampleSeconds * 1000));
      await sample();
    }
    await new Promise((r) => setTimeout(r, Math.max(0, end - Date.now())));
    const last = await sample();
    const first = samples[0];

    log('stopping the churners and the load; then every client is compared with the database');
    await Promise.all(churners.map((c) => c.stop()));
    const churn = totalChurn(churners);
    await load.pause();
    const failures: string[] = [];
    failures.push(...churn.anomalies.slice(0, 20));
    if (churners.length && churn.cycles === 0) failures.push('no churn cycle completed');
    const exits = cluster.procs.filter((p) => p.unexpectedExits > 0).map((p) => `${p.name} exited by itself`);
    failures.push(...exits);
    const mismatches = await waitForConvergence(cluster.sql, world, clients, 60_000);
    failures.push(...mismatches.slice(0, 20));
    const report = await verify(conn, world);
    failures.push(...verifyIssues(report));
    failures.push(...(await effectMismatches(cluster.sql, load.ops)).slice(0, 20));
    if (mismatches.length === 0) failures.push(...(await clientMismatches(cluster.sql, world, clients)));

    console.log('');
    console.log('process      rss start   rss end   heap start   heap end   (MB)');
    for (const p of cluster.procs) {
      console.log(`${p.name.padEnd(12)} ${mb(first.rss[p.name]).padStart(9)} ${mb(last.rss[p.name]).padStart(9)} ${mb(first.heap[p.name]).padStart(12)} ${mb(last.heap[p.name]).padStart(10)}`);
      const a = first.heap[p.name];
      const b = last.heap[p.name];
      if (a !== null && b !== null && b - a > maxHeapGrowthMb * 2 ** 20) failures.push(`${p.name}: heap grew ${mb(b - a)} MB (limit ${maxHeapGrowthMb})`);
    }
    console.log('connections  start  end');
    for (const name of new Set([...Object.keys(first.conns), ...Object.keys(last.conns)])) {
      const a = first.conns[name] ?? 0;
      const b = last.conns[name] ?? 0;
      console.log(`${name.padEnd(28)} ${String(a).padStart(5)} ${String(b).padStart(4)}`);
      if (b > Math.max(a, POOL) + 1) failures.push(`${name}: ${b} database connections at the end, ${a} at the start`);
    }
    console.log('churn        cycles   opened   refused at cap   closed   reconnected   SKUs subscribed');
    for (const c of churners) printChurn(c.name, c.counts);
    printChurn('total', churn);
    const s = load.summary();
    console.log('');
    log(`${s.applied} commands applied of ${s.operations} (${s.refused} refused), ${(s.applied / (minutes * 60)).toFixed(1)}/s; ${s.retriedAfterNoAnswer} retried without an answer`);
    log(`per kind: ${Object.entries(s.perKind).map(([k, v]) => `${k} ${v.applied}/${v.refused}`).join(', ')} (applied/refused)`);
    log(`${report.counts.movements} ledger rows; ${clients.length} clients compared with the database`);
    if (failures.length) {
      log(`FAILED:\n  ${failures.join('\n  ')}`);
      return 1;
    }
    log('invariants hold, every request applied as answered, every client matches the database');
    cluster.removeFiles();
    return 0;
  } finally {
    await stop();
  }
}

// Products with no stock, only for the churners to subscribe to: enough to reach the per-address SKU cap and pass it.
async function makeChurnSkus(conn: ReturnType<typeof connect>, n: number): Promise<string[]> {
  const tag = randomBytes(3).toString('hex').toUpperCase();
  const skus = Array.from({ length: n }, (_, i) => `CHURN-${tag}-${String(i).padStart(5, '0')}`);
  for (let i = 0; i < skus.length; i += 1000) {
    await conn.db.insert(products).values(skus.slice(i, i + 1000).map((sku) => ({ sku, name: `Soak churn ${sku}`, lowStockThreshold: 5 })));
  }
  return skus;
}

function printHeader(names: string[]) {
  console.log(['min', 'applied', ...names.flatMap((n) => [`${n} rss`, 'heap']), 'db conns', 'churn opened', 'refused', 'closed'].map((h) => h.padStart(15)).join(''));
}

function printRow(names: string[], s: Sample, t0: number) {
  const total = Object.values(s.conns).reduce((a, b) => a + b, 0);
  console.log(
    [
      ((s.at - t0) / 60_000).toFixed(1),
      String(s.applied),
      ...names.flatMap((n) => [mb(s.rss[n]), mb(s.heap[n])]),
      String(total),
      String(s.churn.opened + s.churn.reconnected),
      String(s.churn.refusedAtCap),
      String(s.churn.closed),
    ]
      .map((c) => c.padStart(15))
      .join(''),
  );
}

function printChurn(name: string, c: ChurnCounts) {
  console.log(
    `${name.padEnd(24)} ${String(c.cycles).padStart(6)} ${String(c.opened).padStart(8)} ${String(c.refusedAtCap).padStart(16)} ${String(c.closed).padStart(8)} ${String(c.reconnected).padStart(13)} ${String(c.subscribedSkus).padStart(17)}`,
  );
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
