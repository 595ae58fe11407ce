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
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { freePort } from '@/db/provision';
import { users } from '@/db/schema';
import { startChild, stopChild, tsEntry, waitForHttp } from '@/server/cli/processes';
import { adjust, receive, systemActor } from '@/server/inventory';
import { deriveTokenKey, mintToken } from '@/server/auth/socket-token';
import type { BareEmit } from './support/bare-broadcaster';
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
    // The storefront clients all come from this machine's address: the per-address caps are lifted for the run.
    const env = { ...process.env, STOREFRONT_SOCKETS_PER_ADDRESS: String(CLIENTS + 1), STOREFRONT_SKUS_PER_ADDRESS: String(CLIENTS * 100), DATABASE_URL: url, REALTIME_PORT: String(port), BETTER_AUTH_SECRET: secret, ONHAND_URL: 'http://localhost:0', METRICS_TOKEN: metricsToken };
    sidecar = startChild('realtime', [...profile, ...tsEntry('server/realtime/main.ts')], env, { quiet: true });
    await waitForHttp(`${realtimeUrl}/health`, 60_000);

    const storefrontCount = Math.round(CLIENTS * STOREFRONT_SHARE);
    const staffCount = CLIENTS - storefrontCount;
    // Tokens live a minute and open one socket each; each client process connects within that.
    const tokenKey = deriveTokenKey(secret);
    const tokens = (n: number) => Array.from({ length: n }, () => mintToken(tokenKey, { id: userId, role: 'staff', sessionId: 'bench' }).token);
    const share = (n: number, i: number) => Math.floor(n / PROCS) + (i < n % PROCS ? 1 : 0);
    // The same clients for the sidecar and for the bare baseline: staff in the warehouse room, badges on every SKU.
    const connectClients = async (to: string) => {
      log(`connecting ${staffCount} staff and ${storefrontCount} storefront clients in ${PROCS} processes to ${to}…`);
      const started: ChildProcess[] = [];
      await Promise.all(
        Array.from({ length: PROCS }, (_, i) => {
          const config: ClientsConfig = { url: to, tokens: tokens(share(staffCount, i)), warehouseId: world.warehouseId, skus: world.skus, staff: share(staffCount, i), storefront: share(storefrontCount, i) };
          // In a file: 5,000 clients' single-use tokens are too large for an environment variable (E2BIG).
          const file = path.join(os.tmpdir(), `onhand-bench-clients-${process.pid}-${randomBytes(4).toString('hex')}.json`);
          fs.writeFileSync(file, JSON.stringify(config));
          const p = fork('bench/realtime-latency-clients.ts', [], { execArgv: ['--import', 'tsx'], env: { ...process.env, BENCH_CLIENTS_FILE: file } });
          p.once('exit', () => fs.rmSync(file, { force: true }));
          procs.push(p);
          started.push(p);
          return new Promise<void>((resolve, reject) => {
            p.once('message', () => resolve());
            p.once('exit', (code) => reject(new Error(`client process exited (${code})`)));
          });
        }),
      );
      return started;
    };
    const ask = <T>(p: ChildProcess, msg: object, type: string) =>
      new Promise<T>((resolve) => {
        const on = (m: { type: string }) => m.type === type && (p.off('message', on), resolve(m as T));
        p.on('message', on);
        p.send(msg);
      });
    // Waits (up to 10 s) for every staff delivery, then gathers the clients' latencies and ends them.
    const collect = async (clients: ChildProcess[], times: CommitTimes, commits: number) => {
      const expected = commits * staffCount;
      const settle = now() + 10_000;
      while (now() < settle) {
        const delivered = (await Promise.all(clients.map((p) => ask<{ staff: number }>(p, { type: 'count' }, 'count')))).reduce((s, c) => s + c.staff, 0);
        if (delivered >= expected) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const results = await Promise.all(clients.map((p) => ask<ClientsResult>(p, { type: 'finish', times }, 'result')));
      const merged = (pick: (r: ClientsResult) => string) => results.flatMap((r) => decodeFloats(pick(r)));
      const staffDelivered = results.reduce((s, r) => s + r.staffDeliveries, 0);
      return { expected, merged, staffDelivered, deliveriesPerSecond: (staffDelivered + merged((r) => r.shopFromAck).length) / SECONDS };
    };
    // Paced writers: each owns every WRITERS-th SKU and sends one change at a time, so each change's version (and
    // the SKU's version sum, the storefront's version) is known when it is acknowledged.
    const drive = async (write: (sku: string, bin: string, n: number) => Promise<number>) => {
      const times: CommitTimes = { sent: {}, acked: {}, skuSent: {}, skuAcked: {} };
      const versionSum = new Map(world.skus.map((s) => [s, world.bins.length]));
      let commits = 0;
      const deadline = now() + SECONDS * 1000;
      const interval = (1000 * WRITERS) / RATE;
      await Promise.all(
        Array.from({ length: WRITERS }, async (_, w) => {
          const mine = world.skus.filter((_, i) => i % WRITERS === w);
          for (let n = 0, next = now(); next < deadline; n++, next += interval) {
            await new Promise((r) => setTimeout(r, Math.max(0, next - now())));
            const sku = mine[n % mine.length];
            const bin = world.bins[Math.floor(n / mine.length) % world.bins.length];
            const t0 = now();
            const version = await write(sku, bin, n);
            const t1 = now();
            const sum = versionSum.get(sku)! + 1;
            versionSum.set(sku, sum);
            times.sent[`${sku}|${bin}|${version}`] = t0;
            times.acked[`${sku}|${bin}|${version}`] = t1;
            times.skuSent[`${sku}|${sum}`] = t0;
            times.skuAcked[`${sku}|${sum}`] = t1;
            commits++;
          }
        }),
      );
      return { times, commits };
    };

    const sidecarClients = await connectClients(realtimeUrl);
    log(`writing ${RATE} commits/s for ${SECONDS} s with ${WRITERS} writers…`);
    const { times, commits } = await drive(async (sku, bin, n) => {
      const r = await adjust(conn.db, { sku, warehouse: world.code, location: bin, delta: n % 2 ? 1 : -1, reason: 'correction' }, { actor });
      return r.version;
    });
    const { expected, merged, staffDelivered, deliveriesPerSecond } = await collect(sidecarClients, times, commits);

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
    console.log(`staff deliveries: ${staffDelivered} of ${expected} expected (${expected - staffDelivered} missing)`);
    const lagMs = (metric('onhand_realtime_feed_lag_seconds_sum') / metric('onhand_realtime_feed_lag_seconds_count')) * 1000;
    const fanMs = (metric('onhand_realtime_fanout_seconds_sum') / metric('onhand_realtime_fanout_seconds_count')) * 1000;
    console.log(`sidecar: mean feed lag (row updated_at → sidecar) ${lagMs.toFixed(2)} ms; mean fan-out of one level message ${fanMs.toFixed(2)} ms`);

    // The same clients against a bare Socket.IO server (bench/support/bare-broadcaster.ts), driven at the same rate
    // with messages of the same shape: what Socket.IO itself delivers on this machine, in the same run.
    await stopChild(sidecar);
    sidecar = undefined;
    const barePort = await freePort();
    const bare = fork('bench/support/bare-broadcaster.ts', [], { execArgv: ['--import', 'tsx'], env: { ...process.env, PORT: String(barePort) } });
    procs.push(bare);
    await new Promise<void>((resolve, reject) => (bare.once('message', () => resolve()), bare.once('exit', (c) => reject(new Error(`bare server exited (${c})`)))));
    const bareClients = await connectClients(`http://127.0.0.1:${barePort}`);
    const emitted = new Map<number, () => void>();
    bare.on('message', (m: { type: string; id: number }) => m.type === 'emitted' && (emitted.get(m.id)?.(), emitted.delete(m.id)));
    const levelVersions = new Map<string, number>();
    const skuVersions = new Map(world.skus.map((s) => [s, world.bins.length]));
    let nextId = 0;
    log(`bare Socket.IO: ${RATE} messages/s for ${SECONDS} s…`);
    const bareRun = await drive(async (sku, bin, n) => {
      const version = (levelVersions.get(`${sku}|${bin}`) ?? 1) + 1;
      levelVersions.set(`${sku}|${bin}`, version);
      const sum = skuVersions.get(sku)! + 1;
      skuVersions.set(sku, sum);
      const available = 1000 + (n % 2);
      const msg: BareEmit = {
        type: 'emit',
        id: nextId++,
        level: { productId: 0, sku, warehouseId: world.warehouseId, locationId: 0, locationCode: bin, onHand: available, reserved: 0, available, version },
        availability: { sku, channel: 'default', available: available * world.bins.length, status: 'in_stock', version: sum },
      };
      await new Promise<void>((resolve) => (emitted.set(msg.id, resolve), bare.send(msg)));
      return version;
    });
    const bareOut = await collect(bareClients, bareRun.times, bareRun.commits);
    const bareStaff = percentiles(bareOut.merged((r) => r.staffFromAck));
    printTable(
      ['bare Socket.IO (baseline)', 'deliveries', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'],
      [row('staff level, emit → client', bareOut.merged((r) => r.staffFromAck)), row('storefront availability, emit → client', bareOut.merged((r) => r.shopFromAck))],
    );
    console.log(`bare deliveries: ${bareOut.deliveriesPerSecond.toFixed(0)}/s (sidecar ${deliveriesPerSecond.toFixed(0)}/s: ${(deliveriesPerSecond / bareOut.deliveriesPerSecond).toFixed(2)}×)`);

    const staff = percentiles(merged((r) => r.staffFromAck));
    const shop = percentiles(merged((r) => r.shopFromAck));
    console.log(`deliveries: ${deliveriesPerSecond.toFixed(0)}/s to ${CLIENTS} clients`);
    // The targets are for 1,000 clients; other counts are reported without one.
    const at1000 = CLIENTS === 1000;
    const lines: ResultLine[] = [
      { label: `${CLIENTS} clients, commit → staff client p50`, unit: 'ms', value: staff.p50, ...(at1000 ? { target: { kind: 'ms_at_most' as const, value: 10 } } : {}) },
      { label: `${CLIENTS} clients, commit → staff client p99`, unit: 'ms', value: staff.p99, ...(at1000 ? { target: { kind: 'ms_at_most' as const, value: 50 } } : {}) },
      { label: `${CLIENTS} clients, commit → staff client max`, unit: 'ms', value: staff.max },
      { label: `${CLIENTS} clients, commit → storefront badge p99`, unit: 'ms', value: shop.p99 },
      {
        label: `${CLIENTS} clients, deliveries ÷ bare Socket.IO's`,
        unit: 'messages/s',
        value: deliveriesPerSecond,
        baseline: bareOut.deliveriesPerSecond,
        ratio: deliveriesPerSecond / bareOut.deliveriesPerSecond,
        ...(CLIENTS === 5000 ? { target: { kind: 'ratio_at_least' as const, value: 0.8 } } : {}),
      },
      { label: `${CLIENTS} clients, bare Socket.IO emit → staff client p50 / p99 (baseline)`, unit: 'ms', value: bareStaff.p50, extra: bareStaff },
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
