// Scenario 1 — cart holds through the public REST API over 10,000 SKUs, many concurrent clients: each client
// places a hold (POST /api/v1/reservations, one unit of a random SKU, with an Idempotency-Key) and releases it
// (DELETE /api/v1/reservations/{id}), as a storefront's checkout does. Baseline: the same rows written by the same
// SQL transactions driven directly on a postgres.js pool as large as the app's, on the same database, in the same run.
//   npm run bench:api -- [--seconds 15] [--rounds 3] [--warmup 3] [--clients 32] [--pool 10] [--products 10000] [--profile <dir>]
// Picks are a staff action (dashboard server actions and the floor screens), not part of the public API: not here.
import { randomUUID } from 'node:crypto';
import { release, reserve } from '@/server/inventory';
import { startApp, httpClient } from './support/app';
import { flag, inTurns, fmt, loadavg, log, num, percentiles, printTable, roundLoop, type ResultLine } from './support/common';
import { runScenario } from './support/scenario';
import { pgbenchHolds } from './support/pgbench';
import { directRelease, directReserve, ledgerCheck, makeApiKey, makeWorld } from './support/world';

const SECONDS = num('seconds', 15);
const WARMUP = num('warmup', 3);
const CLIENTS = num('clients', 32);
const POOL = num('pool', 10);
const PRODUCTS = num('products', 10_000);
const ROUNDS = Math.max(1, num('rounds', 3));
const PROFILE = flag('profile');

runScenario('api', { pool: POOL }, async ({ url, conn, loadBefore, report }) => {
  let app: Awaited<ReturnType<typeof startApp>> | undefined;
  try {
    log(`making ${PRODUCTS} products…`);
    const world = await makeWorld(conn.sql, { products: PRODUCTS, stock: 1_000_000 });
    const key = await makeApiKey(conn.db, ['reservations:write']);
    const pick = () => Math.floor(Math.random() * world.skus.length);

    log('starting the app and the sidecar…');
    app = await startApp(url, { poolSize: POOL, profileDir: PROFILE });
    const http = httpClient(app.appUrl, CLIENTS);
    const auth = { authorization: `Bearer ${key.secret}` };
    const actor = { kind: 'api_key' as const, id: key.id, label: key.name };
    const reserveMs: number[] = [];
    const releaseMs: number[] = [];
    const statuses = new Map<number, number>();
    const count = (s: number) => statuses.set(s, (statuses.get(s) ?? 0) + 1);
    const loop = roundLoop({ seconds: SECONDS, rounds: ROUNDS, warmup: WARMUP });
    log(`${ROUNDS} rounds of ${SECONDS / ROUNDS} s each: direct SQL (${POOL} connections), the core in-process (${POOL} connections), REST (${CLIENTS} clients)…`);
    const { direct, core, rest } = await inTurns(ROUNDS, {
      // Each iteration holds one unit of a random SKU and releases the hold just made: two commands.
      direct: loop(POOL, async () => {
        const hold = await directReserve(conn.sql, { productId: world.productIds[pick()], locationId: world.pickBinId }, 'bench:direct');
        if (!hold) return false;
        await directRelease(conn.sql, hold);
      }),
      // The domain core called in this process, no HTTP: separates the core's own statements from the app's cost.
      core: loop(POOL, async () => {
        const hold = await reserve(conn.db, { sku: world.skus[pick()], qty: 1 }, { actor, idempotencyKey: randomUUID() });
        await release(conn.db, { id: hold.id }, { actor, idempotencyKey: randomUUID() });
      }),
      rest: loop(CLIENTS, async (_w, _i, measuring) => {
        const t0 = performance.now();
        const res = await http.request('POST', '/api/v1/reservations', { ...auth, 'idempotency-key': randomUUID() }, JSON.stringify({ sku: world.skus[pick()], qty: 1 }));
        const t1 = performance.now();
        if (measuring) count(res.status);
        if (res.status !== 201) return false;
        const { id } = JSON.parse(res.body) as { id: string };
        const d = await http.request('DELETE', `/api/v1/reservations/${id}`, { ...auth, 'idempotency-key': randomUUID() });
        if (measuring) {
          count(d.status);
          reserveMs.push(t1 - t0);
          releaseMs.push(performance.now() - t1);
        }
        return d.status === 200;
      }),
    });
    http.close();
    // The same SQL from pgbench, for one round's length, after the rounds (the app idle meanwhile).
    log('pgbench with the baseline\'s SQL…');
    const pg = await pgbenchHolds(conn.sql, url, world, { clients: POOL, seconds: SECONDS / ROUNDS });
    if (!pg) log('pgbench not found: its line is left out');
    const check = await ledgerCheck(conn.sql, world.productIds);
    if (check.bad.length) log(`LEDGER MISMATCH on ${check.bad.length} products: ${JSON.stringify(check.bad.slice(0, 3))}`);
    for (const [m, n] of rest.errors) log(`REST error ×${n}: ${m}`);
    for (const [m, n] of direct.errors) log(`direct error ×${n}: ${m}`);

    // One operation = one command (a hold or a release); each loop iteration is two.
    const restOps = rest.perSecond * 2;
    const directOps = direct.perSecond * 2;
    const rp = percentiles(reserveMs);
    const lp = percentiles(releaseMs);
    const dp = percentiles(direct.latencies.map((x) => x / 2));
    const cp = percentiles(core.latencies.map((x) => x / 2));
    console.log('');
    console.log(`Scenario 1: REST holds and releases over ${PRODUCTS} SKUs, ${CLIENTS} clients, app pool ${POOL}; load ${loadBefore[0]} → ${loadavg()[0]}`);
    printTable(
      ['path', 'commands/s', 'p50 ms', 'p99 ms'],
      [
        ['REST POST /reservations', fmt(restOps / 2), fmt(rp.p50, 1), fmt(rp.p99, 1)],
        ['REST DELETE /reservations/{id}', fmt(restOps / 2), fmt(lp.p50, 1), fmt(lp.p99, 1)],
        ['core in-process, hold or release', fmt(core.perSecond * 2), fmt(cp.p50, 1), fmt(cp.p99, 1)],
        ['direct SQL, hold or release (baseline)', fmt(directOps), fmt(dp.p50, 1), fmt(dp.p99, 1)],
        ...(pg ? [['pgbench, the same SQL (ceiling)', fmt(pg.perSecond), '–', '–']] : []),
      ],
    );
    console.log(`HTTP statuses: ${[...statuses].map(([s, n]) => `${s}×${n}`).join(', ')}; ledger check: ${check.bad.length ? `${check.bad.length} mismatches` : 'agrees'}`);
    const lines: ResultLine[] = [
      {
        label: 'holds + releases, 10k SKUs',
        unit: 'commands/s',
        value: restOps,
        baseline: directOps,
        ratio: restOps / directOps,
        target: { kind: 'ratio_at_least', value: 0.6 },
        extra: { reserve: rp, release: lp, direct: dp, coreInProcess: { perSecond: core.perSecond * 2, ...cp }, statuses: Object.fromEntries(statuses), ledgerMismatches: check.bad.length },
      },
    ];
    lines.push({ label: 'same, the core called in-process (no HTTP)', unit: 'commands/s', value: core.perSecond * 2, baseline: directOps, ratio: (core.perSecond * 2) / directOps });
    if (pg) {
      lines.push({ label: 'holds + releases, 10k SKUs, REST ÷ pgbench (same SQL)', unit: 'commands/s', value: restOps, baseline: pg.perSecond, ratio: restOps / pg.perSecond, target: { kind: 'ratio_at_least', value: 0.3 } });
      lines.push({ label: 'direct SQL from Node ÷ pgbench (same SQL)', unit: 'commands/s', value: directOps, baseline: pg.perSecond, ratio: directOps / pg.perSecond });
    }
    await report({
      scenario: 'api',
      title: '1. REST API',
      settings: { seconds: SECONDS, rounds: ROUNDS, warmup: WARMUP, clients: CLIENTS, pool: POOL, products: PRODUCTS },
      lines,
      notes: ['Picks are a staff action (server actions), not part of the public REST API, so this measures holds and releases.'],
    });
  } finally {
    if (app) await app.stop();
  }
});
