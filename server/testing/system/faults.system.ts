// The fault suite: production's shape (two app processes and two realtime sidecars on one embedded
// PostgreSQL that this suite owns), a steady mixed load through the REST API on both apps, a floor worker picking
// and shipping, and live storefront and staff clients on both sidecars. Faults come one after another; after
// each, every app serves again without having been restarted (except the one killed), the invariants hold,
// every request took effect exactly as its final answer says, and every client shows the database's figures.
// Run by `npm test` (the system phase) against the built app; alone: `npm test -- --system`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Connection } from '@/db/client';
import { clientMismatches, effectMismatches, verify, verifyIssues, waitForConvergence } from './checks';
import { StaffTab, StorefrontPage, type LiveClient } from './clients';
import { Cluster, type Proc } from './cluster';
import { Load } from './load';
import { makeWorld, type World } from './world';

const log = (s: string) => console.log(`[system] ${s}`);
let cluster: Cluster;
let conn: Connection;
let world: World;
let load: Load;
const clients: LiveClient[] = [];
const survived: string[] = [];
let comparisons = 0;

const STOREFRONT_PER_SIDECAR = 6;
const STAFF_PER_SIDECAR = 3;

beforeAll(async () => {
  cluster = await Cluster.start({ workDir: `.data/system-${process.pid}`, log });
  conn = connect(cluster.url, { max: 4, connection: { application_name: 'onhand-system-floor' } });
  world = await makeWorld(conn);
  await cluster.startAll();
  log(`up: ${cluster.procs.map((p) => `${p.name} :${p.port}`).join(', ')}; database ${new URL(cluster.url).port}`);
  for (const s of cluster.sidecars) {
    for (let i = 0; i < STOREFRONT_PER_SIDECAR; i++) clients.push(new StorefrontPage(`storefront-${s.index}.${i + 1}`, s, world.skus));
    for (let i = 0; i < STAFF_PER_SIDECAR; i++) clients.push(new StaffTab(`staff-${s.index}.${i + 1}`, s, world, () => cluster.apps, cluster.secret));
  }
  load = new Load({ world, conn, apps: () => cluster.apps });
  load.start();
  await until(() => load.applied >= 40, 'the load to get going', 60_000);
  // Before any fault: with the load paused, every client agrees with the database.
  await load.pause();
  expect(await waitForConvergence(cluster.sql, world, clients)).toEqual([]);
  load.resume();
}, 240_000);

afterAll(async () => {
  await load?.stop();
  clients.forEach((c) => c.close());
  const s = load?.summary();
  if (s) {
    log(`faults survived: ${survived.length} (${survived.join('; ')})`);
    log(`commands applied: ${s.applied} of ${s.operations} (refused ${s.refused}: no stock, or a state that no longer allows it)`);
    log(`per kind: ${Object.entries(s.perKind).map(([k, v]) => `${k} ${v.applied}/${v.refused}`).join(', ')} (applied/refused)`);
    log(`requests that went unanswered and were retried with their key: ${s.retriedAfterNoAnswer} (${s.attemptsWithoutAnswer} attempts without an answer)`);
    log(`live clients: ${clients.length} (${clients.filter((c) => c instanceof StorefrontPage).length} storefront, ${clients.filter((c) => c instanceof StaffTab).length} staff); client comparisons with the database: ${comparisons}`);
  }
  await conn?.close();
  await cluster?.stop();
  if (survived.length === 5) cluster?.removeFiles();
  else if (cluster) log(`process logs kept in .data/system-${process.pid}`);
}, 60_000);

describe('two apps and two sidecars on one database, under a steady mixed load', () => {
  it('a busy transaction has its database connection terminated', async () => {
    const t0 = Date.now();
    const terminated: number[] = [];
    for (const app of cluster.apps) {
      for (let i = 0; i < 3; i++) {
        // A transaction that has written (it has an xid) and not yet committed: a command half way.
        const pid = await until(async () => {
          const [row] = await cluster.sql<{ pid: number }[]>`
            SELECT pid FROM pg_stat_activity
            WHERE application_name = ${app.applicationName} AND backend_xid IS NOT NULL AND state <> 'idle' LIMIT 1`;
          return row?.pid;
        }, `a busy transaction on ${app.name}`);
        const [{ ok }] = await cluster.sql<{ ok: boolean }[]>`SELECT pg_terminate_backend(${pid}) AS ok`;
        if (ok) terminated.push(pid);
        await new Promise((r) => setTimeout(r, 300));
      }
    }
    expect(terminated.length).toBe(6);
    await settle('connections of busy transactions terminated', []);
    // Callers saw those requests fail and sent them again with their keys (checked applied once in settle).
    expect(load.ops.filter((o) => o.tried.some((t) => t.at >= t0 && /^5\d\d$/.test(t.outcome))).length).toBeGreaterThan(0);
  });

  it('PostgreSQL is restarted', async () => {
    const resyncs = clients.reduce((s, c) => s + c.resyncs, 0);
    const t0 = Date.now();
    await cluster.restartPostgres(2000);
    await settle('PostgreSQL restarted', []);
    // Requests failed while it was down and were retried; every client was told to refetch (resync).
    expect(load.ops.filter((o) => o.tried.some((t) => t.at >= t0 && !/^[234]\d\d$/.test(t.outcome))).length).toBeGreaterThan(0);
    expect(clients.reduce((s, c) => s + c.resyncs, 0)).toBeGreaterThanOrEqual(resyncs + clients.length);
  });

  it('a sidecar is killed (SIGKILL) and restarted', async () => {
    const sidecar = cluster.sidecars[0];
    const mine = clients.filter((c) => c.sidecar === sidecar);
    const reconnects = mine.map((c) => c.reconnects);
    await cluster.kill(sidecar);
    await until(() => mine.every((c) => !c.socket.connected), 'its clients to notice');
    await new Promise((r) => setTimeout(r, 1000));
    await cluster.startProc(sidecar);
    await settle('sidecar killed and restarted', [sidecar]);
    mine.forEach((c, i) => expect(c.reconnects, c.name).toBeGreaterThan(reconnects[i]));
  });

  it('an app is killed between commit and answer, and the callers retry with the same Idempotency-Key', async () => {
    // Hold every commit's answer until a synchronous standby confirms it, and name one that never will: a
    // command's transaction is then committed, its answer not yet sent. Kill the app that has one in that window.
    // Only keyed commands count (their transaction holds a lock on idempotency_keys until it ends): a release is a
    // DELETE without a key, and its retry cannot be matched to a stored key afterwards. A hot command is one call of
    // a database function that is its own transaction: it waits for the standby at the end of that statement, a
    // command that is a transaction of its own at its COMMIT.
    await cluster.sql`ALTER SYSTEM SET synchronous_standby_names = 'onhand_system_no_such_standby'`;
    await cluster.sql`SELECT pg_reload_conf()`;
    let killedAt = 0;
    let app: Proc;
    let held = 0;
    try {
      const names = cluster.apps.map((a) => a.applicationName);
      const victim = await until(async () => {
        const [row] = await cluster.sql<{ name: string; n: number }[]>`
          SELECT application_name AS name, count(*)::int AS n
          FROM pg_stat_activity a
          WHERE application_name IN ${cluster.sql(names)} AND wait_event = 'SyncRep' AND (query ILIKE 'commit%' OR query ILIKE 'select onhand_%')
            AND EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid AND l.relation = 'idempotency_keys'::regclass AND l.mode = 'RowExclusiveLock')
          GROUP BY 1 ORDER BY 2 DESC LIMIT 1`;
        return row;
      }, 'a keyed command\'s commit waiting to be answered');
      app = cluster.apps.find((a) => a.applicationName === victim.name)!;
      held = victim.n;
      killedAt = Date.now();
      await cluster.kill(app);
    } finally {
      await cluster.sql`ALTER SYSTEM RESET synchronous_standby_names`;
      await cluster.sql`SELECT pg_reload_conf()`;
    }
    await cluster.startProc(app);
    await settle('app killed between commit and answer', [app]);

    // The requests whose transaction the app had committed when it died: their key was stored before the kill, and
    // the caller got no answer from that app. Each was retried with the same key, answered, and applied once.
    const cut = load.ops.filter((o) => o.tried.some((t) => t.via === app.name && t.outcome.startsWith('no answer') && t.at >= killedAt));
    const rows = cut.length
      ? await cluster.sql<{ key: string; status: number }[]>`
          SELECT key, response_status AS status FROM idempotency_keys
          WHERE key IN ${cluster.sql(cut.map((o) => o.key))} AND created_at < to_timestamp(${killedAt / 1000})`
      : [];
    const committedBeforeKill = new Map(rows.map((r) => [r.key, r.status]));
    const lost = cut.filter((o) => committedBeforeKill.has(o.key));
    log(`${held} keyed commit(s) of ${app.name} held when it was killed; ${lost.length} answer(s) lost after commit, recovered by a retry with the same key`);
    expect(lost.length).toBeGreaterThan(0);
    // The retry is answered with what was committed: the hold or order it made, or the refusal it stored (a hold
    // the load asked for when its SKU had run out), never a second attempt at the command.
    for (const op of lost) {
      const stored = committedBeforeKill.get(op.key)!;
      const what = `${op.key} (stored ${stored}): ${JSON.stringify(op.tried)}`;
      if (stored === 200) expect(op.status, what).toBeLessThan(300);
      else expect(op.status, what).toBe(stored);
    }
  });

  it('the replication connections drop (walsenders terminated)', async () => {
    const resyncs = clients.reduce((s, c) => s + c.resyncs, 0);
    const killed = await cluster.sql<{ pid: number; ok: boolean }[]>`
      SELECT pid, pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE backend_type = 'walsender' AND application_name LIKE 'onhand-realtime-%'`;
    expect(killed.filter((k) => k.ok).length).toBe(cluster.sidecars.length);
    await settle('replication connections dropped', []);
    expect(clients.reduce((s, c) => s + c.resyncs, 0)).toBeGreaterThanOrEqual(resyncs + clients.length);
  });
});

// After a fault: every app answers again (those not killed without a restart), every sidecar is healthy; then,
// with the load paused, every client converges on the database, the invariants hold, and every request took
// effect exactly as its final answer says. The load resumes for the next fault.
async function settle(fault: string, restarted: Proc[]) {
  const t0 = Date.now();
  const answered = new Map(cluster.apps.map((a) => [a.name, load.answered(a.name)]));
  const floor = load.answered('core');
  await until(() => cluster.apps.every((a) => load.answered(a.name) >= answered.get(a.name)! + 10), 'every app to answer requests again', 90_000);
  await until(() => load.answered('core') > floor, 'the floor worker to commit again', 90_000);
  for (const p of cluster.procs) {
    expect(p.unexpectedExits, `${p.name} exited by itself: ${cluster.logTail(p)}`).toBe(0);
    expect(p.starts, `${p.name} starts`).toBe(restartsOf(p, restarted));
    await cluster.waitHealthy(p, 30_000);
  }
  const recovered = Date.now();
  await load.pause();
  try {
    const stuck = load.ops.filter((o) => o.status === undefined);
    expect(stuck.map((o) => `${o.key} ${o.gaveUp}`)).toEqual([]);
    const mismatches = await waitForConvergence(cluster.sql, world, clients, 45_000);
    expect(mismatches.slice(0, 20), `clients after: ${fault}`).toEqual([]);
    const converged = Date.now();
    comparisons += clients.length;
    const report = await verify(conn, world);
    expect(verifyIssues(report)).toEqual([]);
    expect(await effectMismatches(cluster.sql, load.ops)).toEqual([]);
    // And they still agree a moment later: nothing was converging by accident.
    expect(await clientMismatches(cluster.sql, world, clients)).toEqual([]);
    survived.push(fault);
    const slow = load.ops.filter((o) => o.answeredAt && o.answeredAt >= t0 && o.answeredAt - o.startedAt > 10_000);
    for (const o of slow) log(`  slow: ${o.key} took ${secs(o.answeredAt! - o.startedAt)} s: ${o.tried.map((t) => `${t.via} ${t.outcome}`).join(', ')}`);
    const s = load.summary();
    log(
      `${fault}: survived; serving again after ${secs(recovered - t0)} s, clients converged ${secs(converged - recovered)} s after the load paused; ` +
        `${s.applied} commands applied so far, ${report.counts.movements} ledger rows, ${clients.length} clients match the database`,
    );
  } finally {
    load.resume();
  }
}

const secs = (ms: number) => (ms / 1000).toFixed(1);

const restartCounts = new Map<string, number>();
function restartsOf(p: Proc, restarted: Proc[]) {
  const n = (restartCounts.get(p.name) ?? 1) + (restarted.includes(p) ? 1 : 0);
  restartCounts.set(p.name, n);
  return n;
}

async function until<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
