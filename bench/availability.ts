// Scenario 4 — availability reads, as storefronts poll them: GET /api/v1/availability?sku=…&sku=…&sku=… on the
// sidecar (which answers from its change-fed memory, no database query) and through the app's route of the same name
// (which forwards to the sidecar), against a bare Node HTTP server answering a constant body of the same size, in its
// own process, on the same machine, with the same load generator (autocannon) — taken in alternating rounds.
//   npm run bench:availability -- [--seconds 10] [--rounds 2] [--connections 32] [--products 10000] [--profile <dir>]
import autocannon, { type Result } from 'autocannon';
import { freePort } from '@/db/provision';
import { startChild, stopChild, tsEntry, waitForHttp } from '@/server/cli/processes';
import { startApp } from './support/app';
import { flag, fmt, loadavg, log, num, printTable, type ResultLine } from './support/common';
import { runScenario } from './support/scenario';
import { makeWorld } from './support/world';

const SECONDS = num('seconds', 10);
const ROUNDS = Math.max(1, num('rounds', 2));
const CONNECTIONS = num('connections', 32);
const PRODUCTS = num('products', 10_000);
// A directory for CPU profiles of the sidecar and the app while they serve the reads.
const PROFILE = flag('profile');

type Agg = { requests: number; seconds: number; p50: number[]; p99: number[]; non2xx: number; errors: number };

runScenario('availability', { pool: 2 }, async ({ url, conn, loadBefore, report }) => {
  let app: Awaited<ReturnType<typeof startApp>> | undefined;
  let bare: ReturnType<typeof startChild> | undefined;
  try {
    log(`making ${PRODUCTS} products…`);
    const world = await makeWorld(conn.sql, { products: PRODUCTS, stock: 1000 });
    log('starting the app, the sidecar and the bare server…');
    app = await startApp(url, { profileDir: PROFILE, sidecarProfileDir: PROFILE });
    const barePort = await freePort();
    bare = startChild('bare', tsEntry('bench/support/bare-server.ts'), { ...process.env, PORT: String(barePort) }, { quiet: true });
    await waitForHttp(`http://127.0.0.1:${barePort}/`, 30_000);

    // 5,000 random questions of one to five SKUs each (as many storefront pages ask), each connection cycling
    // through them: no answer can come from a handful of hot entries.
    const paths = Array.from({ length: 5000 }, () => {
      const skus = Array.from({ length: 1 + Math.floor(Math.random() * 5) }, () => world.skus[Math.floor(Math.random() * world.skus.length)]);
      return `/api/v1/availability?${skus.map((s) => `sku=${s}`).join('&')}`;
    });
    const probe = await fetch(`${app.realtimeUrl}${paths[0]}`);
    const probeBody = await probe.text();
    log(`sidecar answers ${probe.status} (${probe.headers.get('x-onhand-source') ?? 'no source header'}), ${probeBody.length} bytes: ${probeBody.slice(0, 120)}…`);
    const viaApp = await fetch(`${app.appUrl}${paths[0]}`);
    log(`app route answers ${viaApp.status} (${viaApp.headers.get('x-onhand-source') ?? 'no source header'})`);

    const targets = {
      bare: `http://127.0.0.1:${barePort}`,
      sidecar: app.realtimeUrl,
      app: app.appUrl,
    };
    const agg: Record<keyof typeof targets, Agg> = {
      bare: { requests: 0, seconds: 0, p50: [], p99: [], non2xx: 0, errors: 0 },
      sidecar: { requests: 0, seconds: 0, p50: [], p99: [], non2xx: 0, errors: 0 },
      app: { requests: 0, seconds: 0, p50: [], p99: [], non2xx: 0, errors: 0 },
    };
    // Warm each one up (JIT, connection pools, the cache's first lookups).
    for (const t of Object.values(targets)) await autocannon({ url: t, connections: CONNECTIONS, duration: 2, requests: paths.map((path) => ({ path })) });
    const slice = Math.max(1, Math.round(SECONDS / ROUNDS));
    log(`${ROUNDS} rounds of ${slice} s per target, ${CONNECTIONS} keep-alive connections…`);
    for (let r = 0; r < ROUNDS; r++) {
      for (const [name, t] of Object.entries(targets) as [keyof typeof targets, string][]) {
        const res: Result = await autocannon({ url: t, connections: CONNECTIONS, duration: slice, requests: paths.map((path) => ({ path })) });
        const a = agg[name];
        a.requests += res['2xx'];
        a.seconds += res.duration;
        a.p50.push(res.latency.p50);
        a.p99.push(res.latency.p99);
        a.non2xx += res.non2xx;
        a.errors += res.errors + res.timeouts;
      }
    }
    const rate = (a: Agg) => a.requests / a.seconds;
    const worst = (xs: number[]) => Math.max(...xs);
    const mid = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
    console.log('');
    console.log(`Scenario 4: availability reads, 3 SKUs per request, ${CONNECTIONS} connections; load ${loadBefore[0]} → ${loadavg()[0]}`);
    printTable(
      ['target', 'reads/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors'],
      (Object.entries(agg) as [string, Agg][]).map(([name, a]) => [
        name === 'bare' ? 'bare Node server, constant (baseline)' : name === 'sidecar' ? 'sidecar GET /api/v1/availability' : 'app GET /api/v1/availability (forwards)',
        fmt(rate(a)),
        fmt(mid(a.p50), 1),
        fmt(worst(a.p99), 1),
        String(a.non2xx),
        String(a.errors),
      ]),
    );
    const lines: ResultLine[] = [
      {
        label: 'availability reads, sidecar',
        unit: 'reads/s',
        value: rate(agg.sidecar),
        baseline: rate(agg.bare),
        ratio: rate(agg.sidecar) / rate(agg.bare),
        target: { kind: 'ratio_at_least', value: 0.7 },
        extra: { p50: mid(agg.sidecar.p50), p99: worst(agg.sidecar.p99), bareP99: worst(agg.bare.p99) },
      },
      {
        label: 'availability reads, via the app route',
        unit: 'reads/s',
        value: rate(agg.app),
        baseline: rate(agg.bare),
        ratio: rate(agg.app) / rate(agg.bare),
        extra: { p50: mid(agg.app.p50), p99: worst(agg.app.p99) },
      },
      { label: 'availability read p99, sidecar', unit: 'ms', value: worst(agg.sidecar.p99) },
    ];
    await report({
      scenario: 'availability',
      title: '4. Availability',
      settings: { seconds: SECONDS, rounds: ROUNDS, connections: CONNECTIONS, products: PRODUCTS, skusPerRequest: 3, loadGenerator: 'autocannon, in the benchmark process' },
      lines,
      notes: ['The load generator runs on the same 2 cores as the server it measures, for the baseline and for Onhand alike.'],
    });
  } finally {
    if (bare) await stopChild(bare);
    if (app) await app.stop();
  }
});
