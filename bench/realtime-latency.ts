// Commit-to-client latency of the realtime path with many connected clients under a steady write load:
// a fresh database, the sidecar as its own process (as `npm start` runs it), N socket.io clients in separate
// client processes (staff in the warehouse room, storefront badges on every SKU), and writers committing
// stock adjustments through the domain core.
//   npm run bench:realtime -- [--clients 1000] [--storefront 0.2] [--rate 20] [--seconds 20] [--writers 2]
//                             [--procs 2] [--durable 1] [--profile <dir>]
// Writes bench/results/realtime-<clients>.json (npm run bench runs 1,000 and 5,000 clients).
// --durable 0 runs the embedded server with fsync off, to separate the feed's latency from the disk's;
// --profile writes a CPU profile of the sidecar. DATABASE_URL names a server to use (a scratch database is
// made on it); otherwise an embedded one runs.
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { freePort } from '@/db/provision';
import { users } from '@/db/schema';
import { startChild, stopChild, tsEntry, waitForHttp } from '@/server/cli/processes';
import { adjust, receive, systemActor } from '@/server/inventory';
import { deriveTokenKey, mintToken } from '@/server/auth/socket-token';
import { decodeFloats, makeBenchWorld, type ClientsConfig, type ClientsResult, type CommitTimes } from './realtime-latency-support';
import { flag, fmt, log, num, percentile, percentiles, printTable, type ResultLine } from './support/common';
import { runScenario } from './support/scenario';

const CLIENTS = num('clients', 1000);
const STOREFRONT_SHARE = num('storefront', 0.2);
const RATE = num('rate', 20);
const SECONDS = num('seconds', 20);
const WRITERS = Math.max(1, num('writers', 2));
const PROCS = Math.max(1, num('procs', 2));
const DURABLE = num('durable', 1) !== 0;
const PROFILE = flag('profile');
// Wall-clock time: the client processes compare it with the commit times this process sends them.
const now = () => performance.timeOrigin + performance.now();

runScenario('realtime', { pool: WRITERS + 2, durable: DURABLE }, async ({ url, conn, report }) => {
  const secret = randomBytes(32).toString('base64url');
  const procs: ChildProcess[] = [];
  let sidecar: ReturnType<typeof startChild> | undefined;
  try {
    const world = await makeBenchWorld(conn.db, { products: 40, bins: 10 });
    const actor = systemActor('bench');
    for (const sku of world.skus) for (const bin of world.bins) await receive(conn.db, { sku, warehouse: world.code, location: bin, qty: 1000 }, { actor });
    const userId = `bench_${randomBytes(4).toString('hex')}`;
    await conn.db.insert(users).values({ id: userId, name: 'Bench', email: `${userId}@onhand.test`, role: 'staff' });

    const port = await freePort();
    const realtimeUrl = `http://127.0.0.1:${port}`;
    const profile = PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE}`] : [];
    const metricsToken = randomBytes(16).toString('hex');
    const env = { ...process.env, DATABASE_URL: url, REALTIME_PORT: String(port), BETTER_AUTH_SECRET: secret, ONHAND_URL: 'http://localhost:0', METRICS_TOKEN: metricsToken };
    sidecar = startChild('realtime', [...profile, ...tsEntry('server/realtime/main.ts')], env, { quiet: true });
    await waitForHttp(`${realtimeUrl}/health`, 60_000);

    const storefrontCount = Math.round(CLIENTS * STOREFRONT_SHARE);
    const staffCount = CLIENTS - storefrontCount;
    // Tokens live a minute; each client process connects within that.
    const token = mintToken(deriveTokenKey(secret), { id: userId, role: 'staff', sessionId: 'bench' }).token;
    log(`connecting ${staffCount} staff and ${storefrontCount} storefront clients in ${PROCS} processes…`);
    const share = (n: number, i: number) => Math.floor(n / PROCS) + (i < n % PROCS ? 1 : 0);
    await Promise.all(
      Array.from({ length: PROCS }, (_, i) => {
        const config: ClientsConfig = { url: realtimeUrl, token, warehouseId: world.warehouseId, skus: world.skus, staff: share(staffCount, i), storefront: share(storefrontCount, i) };
        const p = fork('bench/realtime-latency-clients.ts', [], { execArgv: ['--import', 'tsx'], env: { ...process.env, BENCH_CLIENTS: JSON.stringify(config) } });
        procs.push(p);
        return new Promise<void>((resolve, reject) => {
          p.once('message', () => resolve());
          p.once('exit', (code) => reject(new Error(`client process exited (${code})`)));
        });
      }),
    );

    // Writers own disjoint SKUs and commit one at a time, so each commit's version (and the SKU's version sum,
    // the storefront's version) is known when it is acknowledged.
    const times: CommitTimes = { sent: {}, acked: {}, skuSent: {}, skuAcked: {} };
    const versionSum = new Map(world.skus.map((s) => [s, world.bins.length]));
    let commits = 0;
    const deadline = now() + SECONDS * 1000;
    const interval = (1000 * WRITERS) / RATE;
    log(`writing ${RATE} commits/s for ${SECONDS} s with ${WRITERS} writers…`);
    await Promise.all(
      Array.from({ length: WRITERS }, async (_, w) => {
        const mine = world.skus.filter((_, i) => i % WRITERS === w);
        for (let n = 0, next = now(); next < deadline; n++, next += interval) {
          await new Promise((r) => setTimeout(r, Math.max(0, next - now())));
          const sku = mine[n % mine.length];
          const bin = world.bins[Math.floor(n / mine.length) % world.bins.length];
          const t0 = now();
          const r = await adjust(conn.db, { sku, warehouse: world.code, location: bin, delta: n % 2 ? 1 : -1, reason: 'correction' }, { actor });
          const t1 = now();
          const sum = versionSum.get(sku)! + 1;
          versionSum.set(sku, sum);
          times.sent[`${sku}|${bin}|${r.version}`] = t0;
          times.acked[`${sku}|${bin}|${r.version}`] = t1;
          times.skuSent[`${sku}|${sum}`] = t0;
          times.skuAcked[`${sku}|${sum}`] = t1;
          commits++;
        }
      }),
    );

    const expected = commits * staffCount;
    const ask = <T>(p: ChildProcess, msg: object, type: string) =>
      new Promise<T>((resolve) => {
        const on = (m: { type: string }) => m.type === type && (p.off('message', on), resolve(m as T));
        p.on('message', on);
        p.send(msg);
      });
    const settle = now() + 10_000;
    let delivered = 0;
    while (now() < settle) {
      delivered = (await Promise.all(procs.map((p) => ask<{ staff: number }>(p, { type: 'count' }, 'count')))).reduce((s, c) => s + c.staff, 0);
      if (delivered >= expected) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const results = await Promise.all(procs.map((p) => ask<ClientsResult>(p, { type: 'finish', times }, 'result')));
    const merged = (pick: (r: ClientsResult) => string) => results.flatMap((r) => decodeFloats(pick(r)));

    const metrics = await (await fetch(`${realtimeUrl}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } })).text();
    const metric = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1] ?? NaN);
    console.log('');
    console.log(
      `Realtime latency: ${CLIENTS} clients (${staffCount} staff in one warehouse room, ${storefrontCount} storefront on ${world.skus.length} SKUs), ` +
        `${commits} commits in ${SECONDS} s (${(commits / SECONDS).toFixed(1)}/s), ${DURABLE ? 'durable commits' : 'fsync off'}, ` +
        `${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(1)}`,
    );
    const row = (path: string, ms: number[]) => {
      const p = percentiles(ms);
      return [path, String(p.n), ...[p.p50, percentile(ms, 0.9), p.p99, p.max].map((v) => fmt(v, 1))];
    };
    printTable(
      ['path', 'deliveries', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'],
      [
        row('staff level, commit ack → client', merged((r) => r.staffFromAck)),
        row('staff level, command sent → client', merged((r) => r.staffFromSent)),
        row('storefront availability, commit ack → client', merged((r) => r.shopFromAck)),
        row('storefront availability, command sent → client', merged((r) => r.shopFromSent)),
      ],
    );
    const staffDelivered = results.reduce((s, r) => s + r.staffDeliveries, 0);
    console.log(`staff deliveries: ${staffDelivered} of ${expected} expected (${expected - staffDelivered} missing)`);
    const lagMs = (metric('onhand_realtime_feed_lag_seconds_sum') / metric('onhand_realtime_feed_lag_seconds_count')) * 1000;
    const fanMs = (metric('onhand_realtime_fanout_seconds_sum') / metric('onhand_realtime_fanout_seconds_count')) * 1000;
    console.log(`sidecar: mean feed lag (row updated_at → sidecar) ${lagMs.toFixed(2)} ms; mean fan-out of one level message ${fanMs.toFixed(2)} ms`);

    const staff = percentiles(merged((r) => r.staffFromAck));
    const shop = percentiles(merged((r) => r.shopFromAck));
    const shopDelivered = merged((r) => r.shopFromAck).length;
    const deliveriesPerSecond = (staffDelivered + shopDelivered) / SECONDS;
    console.log(`deliveries: ${deliveriesPerSecond.toFixed(0)}/s to ${CLIENTS} clients`);
    // The targets are for 1,000 clients; other counts are reported without one.
    const at1000 = CLIENTS === 1000;
    const lines: ResultLine[] = [
      { label: `${CLIENTS} clients, commit → staff client p50`, unit: 'ms', value: staff.p50, ...(at1000 ? { target: { kind: 'ms_at_most' as const, value: 10 } } : {}) },
      { label: `${CLIENTS} clients, commit → staff client p99`, unit: 'ms', value: staff.p99, ...(at1000 ? { target: { kind: 'ms_at_most' as const, value: 50 } } : {}) },
      { label: `${CLIENTS} clients, commit → staff client max`, unit: 'ms', value: staff.max },
      { label: `${CLIENTS} clients, commit → storefront badge p99`, unit: 'ms', value: shop.p99 },
      { label: `${CLIENTS} clients, deliveries`, unit: 'messages/s', value: deliveriesPerSecond },
    ];
    await report(
      {
        scenario: `realtime-${CLIENTS}`,
        title: '3. Realtime',
        settings: { clients: CLIENTS, storefrontShare: STOREFRONT_SHARE, rate: RATE, seconds: SECONDS, writers: WRITERS, procs: PROCS, durable: DURABLE, commits },
        lines,
        notes: [
          `staff deliveries ${staffDelivered} of ${expected} expected; storefront p50 ${shop.p50.toFixed(1)} ms; sidecar mean feed lag ${lagMs.toFixed(2)} ms, mean fan-out ${fanMs.toFixed(2)} ms`,
        ],
      },
      `realtime-${CLIENTS}`,
    );
  } finally {
    procs.forEach((p) => p.connected && p.kill());
    if (sidecar) await stopChild(sidecar);
  }
});
