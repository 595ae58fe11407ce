// Scenario 2 — a flash sale: every client holds one unit of the same SKU (one stock row) through the REST API.
// Throughput and latency against the direct single-row rate (the same hold transaction driven directly on the same
// row, same database, same run); then a sell-out: a few hundred units, every client buying until refused, and the
// oversell count, checked against the ledger (Σ ledger = level, reserved ≤ on hand, active holds = reserved).
// Then the same through the core in-process, plain and coalesced (concurrent holds on one SKU joined into one
// transaction, server/inventory/commands/reserve-coalesced.ts), against the same baseline; and a coalesced sell-out.
//   npm run bench:hot -- [--seconds 15] [--rounds 3] [--warmup 3] [--clients 32] [--pool 10] [--stock 300]
import { randomUUID } from 'node:crypto';
import { InventoryError, reserve } from '@/server/inventory';
import { createReserveCoalescer } from '@/server/inventory/commands/reserve-coalesced';
import { httpClient, startApp } from './support/app';
import { flag, inTurns, fmt, loadavg, log, num, percentiles, printTable, roundLoop, type ResultLine } from './support/common';
import { runScenario } from './support/scenario';
import { directReserve, ledgerCheck, makeApiKey, makeWorld } from './support/world';

const SECONDS = num('seconds', 15);
const WARMUP = num('warmup', 3);
const CLIENTS = num('clients', 32);
const POOL = num('pool', 10);
const ROUNDS = Math.max(1, num('rounds', 3));
const SELLOUT_STOCK = num('stock', 300);
const PROFILE = flag('profile');

runScenario('hot', { pool: POOL }, async ({ url, conn, loadBefore, report }) => {
  let app: Awaited<ReturnType<typeof startApp>> | undefined;
  try {
    // Three SKUs: the baseline's row, the REST row, and the sell-out's row (its stock set below).
    // One row each: the baseline's, REST's, the REST sell-out's, the core's, the coalesced core's, the coalesced sell-out's.
    const world = await makeWorld(conn.sql, { products: 6, stock: (i) => (i === 2 || i === 5 ? SELLOUT_STOCK : 10_000_000), prefix: 'HOT' });
    const [directSku, restSku, selloutSku, coreSku, coalescedSku, coalescedSelloutSku] = world.skus;
    const coalescer = createReserveCoalescer(conn.db);
    const key = await makeApiKey(conn.db, ['reservations:write']);
    // The core is called as the same API key REST uses: a hold records the key that owns it.
    const actor = { kind: 'api_key' as const, id: key.id, label: key.name };

    log('starting the app and the sidecar…');
    app = await startApp(url, { poolSize: POOL, profileDir: PROFILE, env: { ONHAND_COALESCE_HOLDS: '0' } });
    const http = httpClient(app.appUrl, CLIENTS);
    const auth = { authorization: `Bearer ${key.secret}` };
    const hold = (sku: string) => http.request('POST', '/api/v1/reservations', { ...auth, 'idempotency-key': randomUUID() }, JSON.stringify({ sku, qty: 1 }));
    const statuses = new Map<number, number>();
    const loop = roundLoop({ seconds: SECONDS, rounds: ROUNDS, warmup: WARMUP });
    // The baseline: the hold transaction driven directly on the first row, measured in turns with each REST run.
    const directLoop = loop(POOL, async () => (await directReserve(conn.sql, { productId: world.productIds[0], locationId: world.pickBinId }, 'bench:direct')) !== null);
    log(`${ROUNDS} rounds of ${SECONDS / ROUNDS} s each: direct SQL on one row (${POOL} connections), the core plain and coalesced and REST (${CLIENTS} callers each)…`);
    const { direct, core, coalesced, rest } = await inTurns(ROUNDS, {
      direct: directLoop,
      // The core in this process, as many concurrent callers as REST has clients: plain, then coalesced.
      core: loop(CLIENTS, async () => void (await reserve(conn.db, { sku: coreSku, qty: 1 }, { actor, idempotencyKey: randomUUID() }))),
      coalesced: loop(CLIENTS, async () => void (await coalescer.reserve({ sku: coalescedSku, qty: 1 }, { actor, idempotencyKey: randomUUID() }))),
      rest: loop(CLIENTS, async (_w, _i, measuring) => {
        const res = await hold(restSku);
        if (measuring) statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        return res.status === 201;
      }),
    });

    log(`sell-out: ${SELLOUT_STOCK} units, ${CLIENTS} clients buying until refused…`);
    let sold = 0;
    let refused = 0;
    const other = new Map<number, number>();
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        for (;;) {
          const r = await hold(selloutSku);
          if (r.status === 201) sold++;
          else if (r.status === 409) {
            refused++;
            break;
          } else other.set(r.status, (other.get(r.status) ?? 0) + 1);
        }
      }),
    );
    http.close();
    const batches = coalescer.stats();
    log(`coalesced sell-out: ${SELLOUT_STOCK} units, ${CLIENTS} callers buying until refused…`);
    let soldCoalesced = 0;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        for (;;) {
          try {
            await coalescer.reserve({ sku: coalescedSelloutSku, qty: 1 }, { actor, idempotencyKey: randomUUID() });
            soldCoalesced++;
          } catch (e) {
            if (e instanceof InventoryError && e.type === 'insufficient_stock') break;
            throw e;
          }
        }
      }),
    );
    const [levelCoalesced] = await conn.sql<{ on_hand: number; reserved: number }[]>`SELECT on_hand, reserved FROM stock_levels WHERE product_id = ${world.productIds[5]}`;

    // The REST route as shipped (coalescing on): the app restarted, measured in turns with the baseline again.
    log('restarting the app with its default settings (coalescing on)…');
    await app.stop();
    app = await startApp(url, { poolSize: POOL, env: {} });
    const http2 = httpClient(app.appUrl, CLIENTS);
    const { direct: direct2, restCoalesced } = await inTurns(ROUNDS, {
      direct: directLoop,
      restCoalesced: loop(CLIENTS, async () => {
        const res = await http2.request('POST', '/api/v1/reservations', { ...auth, 'idempotency-key': randomUUID() }, JSON.stringify({ sku: restSku, qty: 1 }));
        return res.status === 201;
      }),
    });
    http2.close();
    const check = await ledgerCheck(conn.sql, world.productIds);
    const [level] = await conn.sql<{ on_hand: number; reserved: number }[]>`SELECT on_hand, reserved FROM stock_levels WHERE product_id = ${world.productIds[2]}`;
    // Oversold units: holds granted beyond the stock, by the clients' count and by the ledger's.
    const oversell = Math.max(0, sold - SELLOUT_STOCK) + Math.max(0, level.reserved - level.on_hand) + check.bad.length;
    const oversellCoalesced = Math.max(0, soldCoalesced - SELLOUT_STOCK) + Math.max(0, levelCoalesced.reserved - levelCoalesced.on_hand) + check.bad.length;

    const rp = percentiles(rest.latencies);
    const dp = percentiles(direct.latencies);
    console.log('');
    console.log(`Scenario 2: one hot SKU, ${CLIENTS} REST clients, app pool ${POOL}; load ${loadBefore[0]} → ${loadavg()[0]}`);
    printTable(
      ['path', 'holds/s', 'p50 ms', 'p99 ms'],
      [
        ['REST POST /reservations, one SKU, ONHAND_COALESCE_HOLDS=0', fmt(rest.perSecond), fmt(rp.p50, 1), fmt(rp.p99, 1)],
        ['direct SQL hold on one row (baseline)', fmt(direct.perSecond), fmt(dp.p50, 1), fmt(dp.p99, 1)],
        ['REST POST /reservations, one SKU, default (coalesced)', fmt(restCoalesced.perSecond), fmt(percentiles(restCoalesced.latencies).p50, 1), fmt(percentiles(restCoalesced.latencies).p99, 1)],
        ['direct SQL hold on one row (baseline, second turn)', fmt(direct2.perSecond), fmt(percentiles(direct2.latencies).p50, 1), fmt(percentiles(direct2.latencies).p99, 1)],
        ['core in-process, one SKU, plain', fmt(core.perSecond), fmt(percentiles(core.latencies).p50, 1), fmt(percentiles(core.latencies).p99, 1)],
        ['core in-process, one SKU, coalesced', fmt(coalesced.perSecond), fmt(percentiles(coalesced.latencies).p50, 1), fmt(percentiles(coalesced.latencies).p99, 1)],
      ],
    );
    console.log(
      `sell-out: ${sold} sold of ${SELLOUT_STOCK}, ${refused} clients refused at the end, other answers ${JSON.stringify(Object.fromEntries(other))}; ` +
        `level on_hand ${level.on_hand} reserved ${level.reserved}; ledger ${check.bad.length ? `${check.bad.length} mismatches` : 'agrees'}; oversell ${oversell}`,
    );
    console.log(`coalesced: ${batches.holds} holds in ${batches.batches} transactions (largest ${batches.largest}); coalesced sell-out: ${soldCoalesced} sold of ${SELLOUT_STOCK}, level on_hand ${levelCoalesced.on_hand} reserved ${levelCoalesced.reserved}, oversell ${oversellCoalesced}`);
    console.log(`HTTP statuses (throughput phase): ${[...statuses].map(([s, n]) => `${s}×${n}`).join(', ')}`);
    const lines: ResultLine[] = [
      {
        label: 'holds on one SKU through REST, ONHAND_COALESCE_HOLDS=0',
        unit: 'holds/s',
        value: rest.perSecond,
        baseline: direct.perSecond,
        ratio: rest.perSecond / direct.perSecond,
        target: { kind: 'ratio_at_least', value: 0.8 },
        extra: { rest: rp, direct: dp, statuses: Object.fromEntries(statuses) },
      },
      { label: 'holds on one SKU, core in-process, no coalescing', unit: 'holds/s', value: core.perSecond, baseline: direct.perSecond, ratio: core.perSecond / direct.perSecond },
      {
        label: 'holds on one SKU through REST, default (coalesced)',
        unit: 'holds/s',
        value: restCoalesced.perSecond,
        baseline: direct2.perSecond,
        ratio: restCoalesced.perSecond / direct2.perSecond,
        target: { kind: 'ratio_at_least', value: 2 },
        extra: percentiles(restCoalesced.latencies),
      },
      {
        label: 'holds on one SKU, core in-process, coalesced',
        unit: 'holds/s',
        value: coalesced.perSecond,
        baseline: direct.perSecond,
        ratio: coalesced.perSecond / direct.perSecond,
        extra: { ...percentiles(coalesced.latencies), batches },
      },
      { label: 'hot SKU hold p50, default (coalesced)', unit: 'ms', value: percentiles(restCoalesced.latencies).p50 },
      // The tail as a multiple of the median: at most 5× (a ratio, so kept as "at most" by inverting it).
      {
        label: 'hot SKU hold p50 ÷ p99, default (coalesced)',
        unit: 'ratio',
        value: percentiles(restCoalesced.latencies).p50 / percentiles(restCoalesced.latencies).p99,
        ratio: percentiles(restCoalesced.latencies).p50 / percentiles(restCoalesced.latencies).p99,
        target: { kind: 'ratio_at_least', value: 0.2 },
      },
      { label: 'hot SKU hold p50, ONHAND_COALESCE_HOLDS=0', unit: 'ms', value: rp.p50 },
      { label: 'hot SKU hold p99, ONHAND_COALESCE_HOLDS=0', unit: 'ms', value: rp.p99 },
      { label: 'oversold units in a coalesced sell-out', unit: 'units', value: oversellCoalesced, target: { kind: 'equals', value: 0 }, extra: { sold: soldCoalesced, stock: SELLOUT_STOCK, level: levelCoalesced } },
      { label: 'oversold units in a sell-out', unit: 'units', value: oversell, target: { kind: 'equals', value: 0 }, extra: { sold, stock: SELLOUT_STOCK, level, ledgerMismatches: check.bad.length } },
    ];
    await report({
      scenario: 'hot-sku',
      title: '2. Hot SKU',
      settings: { seconds: SECONDS, rounds: ROUNDS, warmup: WARMUP, clients: CLIENTS, pool: POOL, selloutStock: SELLOUT_STOCK, skus: { directSku, restSku, selloutSku } },
      lines,
      notes: ['Coalescing (server/inventory/commands/reserve-coalesced.ts) is on by default in the REST route (measured with ONHAND_COALESCE_HOLDS=0 too) and through the core in-process.'],
    });
  } finally {
    if (app) await app.stop();
  }
});
