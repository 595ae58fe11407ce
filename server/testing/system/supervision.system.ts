// The supervision suite: `npm start` as an operator runs it (its supervisor, the app, the realtime sidecar, the AMQP
// connector on the machine's RabbitMQ and the demo shop) on an embedded PostgreSQL this suite owns, under a steady
// mixed load (REST calls to the app, a floor worker, receipts published to the connector) with live storefront and
// staff clients on the sidecar. Faults, in turn: the sidecar, the connector and the app are each killed with SIGKILL
// and must come back by themselves while the other parts keep answering; every database connection of every part is
// dropped (pg_terminate_backend) and no part may exit; the sidecar is killed repeatedly and /api/health must name it
// failed. After each: every client converges, every request and message took effect exactly once, every ledger row
// was published, the ledger verifies. At the end SIGTERM stops everything cleanly.
// Run by `npm test` (the system phase) against the built app; alone: `npm test -- --system supervision`.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Connection } from '@/db/client';
import { holdBroker } from '@/server/connectors/amqp/test-broker-lock';
import { deleteTopology, topologyNames } from '@/server/connectors/amqp/topology';
import { routeNames } from '@/server/connectors/amqp/messages';
import { waitFor } from '@/server/testing/fixtures';
import { clientMismatches, effectMismatches, verify, verifyIssues, waitForConvergence } from './checks';
import { StaffTab, StorefrontPage, type LiveClient } from './clients';
import { Cluster } from './cluster';
import { Load } from './load';
import { NpmStart, parts, type Part } from './npm-start';
import { QueueTraffic } from './queue-traffic';
import { makeWorld, type World } from './world';

const log = (s: string) => console.log(`[supervision] ${s}`);
const amqpUrl = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const prefix = `system-${randomBytes(3).toString('hex')}`;
const workDir = `.data/supervision-${process.pid}`;
let cluster: Cluster;
let conn: Connection;
let world: World;
let npm: NpmStart;
let load: Load;
let queue: QueueTraffic;
let releaseBroker: () => Promise<void>;
const clients: LiveClient[] = [];
const survived: string[] = [];
const restartTimes: string[] = [];
// Restarts each part is expected to have had so far (the parts file counts them).
const restarts: Record<Part, number> = { app: 0, realtime: 0, amqp: 0, storefront: 0 };

beforeAll(async () => {
  releaseBroker = await holdBroker(amqpUrl, 'shared');
  cluster = await Cluster.start({ workDir, apps: 0, sidecars: 0, log });
  conn = connect(cluster.url, { max: 4, connection: { application_name: 'onhand-system-floor' } });
  world = await makeWorld(conn);
  npm = await NpmStart.start(cluster, { workDir, amqpUrl, amqpPrefix: prefix });
  await waitFor(async () => (await Promise.all(parts.map((p) => npm.healthy(p)))).every(Boolean), 'every part of npm start to answer', 240_000).catch((e) => {
    throw new Error(`${e.message}\n${npm.log().slice(-4000)}`);
  });
  log(`npm start is up: app ${npm.app.url}, realtime ${npm.realtime.url}, connector prefix ${prefix}`);
  for (let i = 0; i < 6; i++) clients.push(new StorefrontPage(`storefront-${i + 1}`, npm.realtime, world.skus));
  for (let i = 0; i < 3; i++) clients.push(new StaffTab(`staff-${i + 1}`, npm.realtime, world, () => [npm.app], cluster.secret));
  load = new Load({ world, conn, apps: () => [npm.app], workers: 4 });
  queue = await QueueTraffic.start({ url: amqpUrl, prefix, world, sql: cluster.sql });
  load.start();
  await waitFor(() => load.applied >= 40 && queue.published.length >= 20, 'the load to get going', 60_000);
  await settle('start');
}, 300_000);

afterAll(async () => {
  await load?.stop();
  await queue?.stop();
  clients.forEach((c) => c.close());
  const s = load?.summary();
  if (s) {
    log(`faults survived: ${survived.length} (${survived.join('; ')})`);
    log(`restart times: ${restartTimes.join('; ')}`);
    log(`REST commands applied: ${s.applied} of ${s.operations}; retried with their key after no answer: ${s.retriedAfterNoAnswer}`);
    log(`receipts through the connector: ${queue.published.length}; stock.changed events received: ${queue.events.size}`);
  }
  if (npm?.running) await npm.stop();
  await conn?.close();
  await cleanBroker().catch((e) => log(`could not remove the connector's topology: ${e}`));
  await releaseBroker?.();
  await cluster?.stop();
  if (survived.length === 6) cluster?.removeFiles();
  else if (cluster) log(`logs kept in ${workDir} (npm start's in ${npm?.logFile})`);
}, 90_000);

describe('npm start under a steady load, each part failing in turn', () => {
  for (const part of ['realtime', 'amqp', 'app'] as const) {
    it(`the ${part === 'realtime' ? 'realtime sidecar' : part === 'amqp' ? 'AMQP connector' : 'app'} is killed (SIGKILL) and comes back by itself`, async () => {
      const mine = part === 'realtime' ? clients.map((c) => c.reconnects) : [];
      const watch = new Watch(npm);
      const pid = npm.pid(part);
      const t0 = Date.now();
      process.kill(pid, 'SIGKILL');
      await waitFor(() => npm.status(part).pid !== null && npm.status(part).pid !== pid, `${part} to be started again`, 30_000);
      const started = Date.now();
      await waitFor(() => npm.healthy(part), `${part} to answer again`, 120_000);
      const answering = Date.now();
      await waitFor(() => npm.status(part).state === 'running', `${part} to be running`, 10_000);
      await watch.stop();
      restarts[part]++;
      restartTimes.push(`${part}: process again after ${secs(started - t0)} s, answering after ${secs(answering - t0)} s`);
      log(`${part} killed: started again after ${secs(started - t0)} s, answering after ${secs(answering - t0)} s`);
      // The others never stopped answering; the app's health named the part while it was away, and its REST API
      // answered every request meanwhile.
      for (const other of parts.filter((p) => p !== part)) expect(watch.failures[other], `${other} stopped answering while ${part} was down`).toBe(0);
      if (part !== 'app') {
        expect([...watch.degraded]).toContain(part);
        const meanwhile = load.ops.flatMap((o) => o.tried).filter((t) => t.via === 'app' && t.at >= t0 && t.at <= answering);
        expect(meanwhile.length).toBeGreaterThan(0);
        expect(meanwhile.filter((t) => !/^[234]\d\d$/.test(t.outcome))).toEqual([]);
      }
      expect(npm.log()).toContain(`${part} exited unexpectedly (signal SIGKILL); restarting in 0.5 s`);
      await settle(`${part} killed`);
      if (part === 'realtime') clients.forEach((c, i) => expect(c.reconnects, c.name).toBeGreaterThan(mine[i]));
    });
  }

  it('every database connection of every part is terminated, three times, and no part exits', async () => {
    const pids = Object.fromEntries(parts.map((p) => [p, npm.pid(p)]));
    const logBefore = npm.log().length;
    const dropped = new Map<string, number>();
    for (let round = 0; round < 3; round++) {
      const rows = await cluster.sql<{ name: string; ok: boolean }[]>`
        SELECT application_name AS name, pg_terminate_backend(pid) AS ok FROM pg_stat_activity
        WHERE pid <> pg_backend_pid() AND application_name LIKE 'onhand-%' AND application_name NOT LIKE 'onhand-system-%'`;
      for (const r of rows) if (r.ok) dropped.set(r.name, (dropped.get(r.name) ?? 0) + 1);
      await new Promise((r) => setTimeout(r, 1500));
    }
    log(`connections terminated: ${[...dropped].map(([n, k]) => `${n} ${k}`).join(', ')}`);
    // The pools of the app, the sidecar and the connector, and both replication streams.
    for (const name of ['onhand-app', 'onhand-realtime', 'onhand-amqp']) expect(dropped.get(name), name).toBeGreaterThan(0);
    expect([...dropped.keys()].some((n) => n.startsWith('onhand-realtime-')), 'the sidecar\'s replication stream').toBe(true);
    expect([...dropped.keys()].some((n) => n.startsWith('onhand-amqp:')), 'the connector\'s replication stream').toBe(true);
    await settle('every database connection dropped');
    for (const p of parts) expect(npm.pid(p), `${p} was restarted`).toBe(pids[p]);
    // Each broken connection's error was handled where it arose: none reached a process-wide handler.
    expect(npm.log().slice(logBefore).split('\n').filter((l) => /unhandled ?rejection|uncaught ?exception/i.test(l))).toEqual([]);
  });

  it('a sidecar that keeps crashing is reported failed on /api/health, and still comes back', async () => {
    // Killed each time it is up again: five exits within the crash-loop window.
    for (let i = 0; i < 5; i++) {
      const pid = npm.pid('realtime');
      process.kill(pid, 'SIGKILL');
      if (i < 4) await waitFor(() => npm.status('realtime').pid !== null && npm.status('realtime').pid !== pid, 'the sidecar to be started again', 60_000);
    }
    restarts.realtime += 5;
    await waitFor(() => npm.status('realtime').state === 'failed', 'the sidecar to be marked failed', 10_000);
    const health = await npm.appHealth();
    expect(health).toMatchObject({ ok: true, status: 'degraded', degraded: ['realtime'] });
    expect(health?.parts?.realtime).toBe('failed');
    expect(npm.log()).toMatch(/!!! realtime FAILED: it exited 5 times within 60 s \(last: signal SIGKILL\)/);
    // Retried after the longer delay, it serves again (and stays reported failed until it has run a minute).
    await waitFor(() => npm.healthy('realtime'), 'the sidecar to answer again', 90_000);
    await settle('the sidecar crash-looping');
  });

  it('SIGTERM stops every part cleanly, restarting none', async () => {
    const pids = parts.map((p) => npm.pid(p));
    await load.pause();
    await queue.pause();
    const t0 = Date.now();
    const code = await npm.stop(30_000);
    log(`npm start stopped in ${secs(Date.now() - t0)} s (exit code ${code})`);
    expect(code).toBe(0);
    const after = npm.log().split('[onhand] stopping…')[1] ?? '';
    expect(after).not.toContain('restarting in');
    expect(after).toContain('[onhand] stopped');
    for (const pid of pids) expect(alive(pid), `part ${pid} still running`).toBe(false);
    for (const p of parts) expect(npm.status(p).state).toBe('stopped');
    survived.push('SIGTERM');
  });
});

// Probes every part's health while a fault lasts: which stopped answering, and what the app's /api/health called degraded.
class Watch {
  readonly failures: Record<Part, number> = { app: 0, realtime: 0, amqp: 0, storefront: 0 };
  readonly degraded = new Set<string>();
  private stopped = false;
  private readonly loop: Promise<void>;

  constructor(private readonly npm: NpmStart) {
    this.loop = this.run();
  }

  private async run() {
    while (!this.stopped) {
      await Promise.all(
        parts.map(async (p) => {
          const ok = p === 'app' ? await this.app() : await this.npm.healthy(p, 5000);
          if (!ok) this.failures[p]++;
        }),
      );
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  // Its health and a page.
  private async app() {
    const [h, page] = await Promise.all([this.npm.appHealth(), fetch(`${this.npm.app.url}/sign-in`, { signal: AbortSignal.timeout(5000) }).catch(() => null)]);
    await page?.arrayBuffer();
    h?.degraded?.forEach((d) => this.degraded.add(d));
    return (h?.status === 'ok' || h?.status === 'degraded') && page?.status === 200;
  }

  async stop() {
    this.stopped = true;
    await this.loop;
  }
}

// After a fault: every part answers again and none restarted but the one killed; the load is answered again; then,
// with the load and the queue traffic paused and drained, every client converges, every request and message took
// effect exactly once, every ledger row was published, and the invariants hold.
async function settle(fault: string) {
  const t0 = Date.now();
  const answered = load.answered('app');
  const floor = load.answered('core');
  const published = queue.published.length;
  await waitFor(() => load.answered('app') >= answered + 10, 'the app to answer requests again', 120_000);
  await waitFor(() => load.answered('core') > floor, 'the floor worker to commit again', 90_000);
  await waitFor(() => queue.published.length > published + 5, 'messages to be published again', 60_000);
  for (const p of parts) {
    await waitFor(() => npm.healthy(p), `${p} to answer`, 60_000);
    expect(npm.status(p).restarts, `${p} restarts`).toBe(restarts[p]);
  }
  await load.pause();
  await queue.pause();
  try {
    expect(load.ops.filter((o) => o.status === undefined).map((o) => `${o.key} ${o.gaveUp}`)).toEqual([]);
    await waitFor(async () => (await queue.unapplied(cluster.sql)) === 0, 'every published message to be applied', 90_000);
    const mismatches = await waitForConvergence(cluster.sql, world, clients, 45_000);
    expect(mismatches.slice(0, 20), `clients after: ${fault}`).toEqual([]);
    await waitFor(async () => (await queue.unpublished(cluster.sql)).length === 0, 'every ledger row to be published', 60_000).catch(() => {});
    expect((await queue.mismatches(cluster.sql)).slice(0, 20)).toEqual([]);
    expect(verifyIssues(await verify(conn, world))).toEqual([]);
    expect(await effectMismatches(cluster.sql, load.ops)).toEqual([]);
    expect(await clientMismatches(cluster.sql, world, clients)).toEqual([]);
    if (fault !== 'start') survived.push(fault);
    log(`${fault}: survived, settled in ${secs(Date.now() - t0)} s; ${load.applied} REST commands and ${queue.published.length} messages applied so far`);
  } finally {
    load.resume();
    queue.resume();
  }
}

async function cleanBroker() {
  const { connect: amqp } = await import('amqplib');
  const c = await amqp(amqpUrl);
  try {
    const ch = await c.createChannel();
    await deleteTopology(ch, topologyNames(prefix), routeNames);
  } finally {
    await c.close();
  }
}

const secs = (ms: number) => (ms / 1000).toFixed(1);

function alive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
