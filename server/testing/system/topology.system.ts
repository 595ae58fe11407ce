// The reference topology (docs/deploy/nginx.conf): nginx in front of two apps and two sidecars on one PostgreSQL,
// one origin for everything. The REST load, storefront badges and staff screens all go through the proxy; one app
// and then one sidecar are killed behind it. Through the proxy the callers see no failure (nginx retries a dead
// app's requests on the other, and the Idempotency-Key makes a retried write apply once), live clients reconnect
// to the other sidecar and show the database's figures, and the ledger balances.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Connection } from '@/db/client';
import { freePort } from '@/db/provision';
import { effectMismatches, verify, verifyIssues, waitForConvergence } from './checks';
import { StaffTab, StorefrontPage, type LiveClient } from './clients';
import { Cluster, type Proc } from './cluster';
import { Load } from './load';
import { Proxy } from './proxy';
import { makeWorld, type World } from './world';

const log = (s: string) => console.log(`[topology] ${s}`);
const workDir = `.data/topology-${process.pid}`;
let cluster: Cluster;
let proxy: Proxy;
let front: Proc;
let conn: Connection;
let world: World;
let load: Load;
const clients: LiveClient[] = [];

beforeAll(async () => {
  const port = await freePort();
  cluster = await Cluster.start({ workDir, publicUrl: `http://127.0.0.1:${port}`, log });
  conn = connect(cluster.url, { max: 4, connection: { application_name: 'onhand-topology-checks' } });
  world = await makeWorld(conn);
  await cluster.startAll();
  proxy = await Proxy.start({ workDir, port, apps: cluster.apps, sidecars: cluster.sidecars });
  // What every caller is given: the proxy's one origin, as if it were the only process.
  front = { ...cluster.apps[0], name: 'proxy', url: proxy.url };
  for (let i = 0; i < 6; i++) clients.push(new StorefrontPage(`storefront-${i + 1}`, front, world.skus));
  for (let i = 0; i < 3; i++) clients.push(new StaffTab(`staff-${i + 1}`, front, world, () => [front], cluster.secret));
  load = new Load({ world, conn, apps: () => [front] });
  load.start();
  await until(() => load.applied >= 30, 'the load to get going through the proxy', 90_000);
}, 300_000);

afterAll(async () => {
  await load?.stop();
  clients.forEach((c) => c.close());
  await proxy?.stop();
  await conn?.close();
  await cluster?.stop();
  cluster?.removeFiles();
}, 60_000);

describe('nginx in front of two apps and two sidecars (docs/deploy/nginx.conf)', () => {
  it('serves the app, the API and the sidecar’s paths on one origin', async () => {
    expect((await fetch(`${proxy.url}/api/health`)).status).toBe(200);
    const embed = await fetch(`${proxy.url}/embed/availability.js`);
    expect(embed.status).toBe(200);
    expect(embed.headers.get('content-type')).toMatch(/javascript/);
    const availability = await fetch(`${proxy.url}/api/v1/availability?sku=${encodeURIComponent(world.skus[0])}`);
    expect(availability.status).toBe(200);
    expect(JSON.stringify(await availability.json())).toContain(world.skus[0]);
    // The sign-in page lets its scripts reach the live sockets on this same origin.
    const page = await fetch(`${proxy.url}/sign-in`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/connect-src 'self'/);
    await until(() => clients.every((c) => c.socket.connected), 'every live client to connect through the proxy (WebSocket upgrade)');
    await settle('before any fault');
  });

  it('an app is killed behind the proxy: no caller sees a failure, and nothing is lost or doubled', async () => {
    const victim = cluster.apps[0];
    const t0 = Date.now();
    const before = load.answered('proxy');
    await cluster.kill(victim);
    await until(() => load.answered('proxy') >= before + 60, 'sixty more answers through the proxy with one app dead', 120_000);
    const failed = load.ops.flatMap((o) => o.tried.filter((t) => t.at >= t0 && !/^[234]\d\d$/.test(t.outcome)).map((t) => `${o.key}: ${t.outcome}`));
    expect(failed).toEqual([]);
    await cluster.startProc(victim);
    await settle('app killed behind the proxy');
  });

  it('a sidecar is killed behind the proxy: its clients reconnect through the proxy to the other one', async () => {
    // ip_hash puts every client of this one address on one sidecar: that is the one to kill.
    const counts = await Promise.all(cluster.sidecars.map((s) => connectedClients(s)));
    const victim = cluster.sidecars[counts.indexOf(Math.max(...counts))];
    expect(Math.max(...counts)).toBeGreaterThan(0);
    const reconnects = clients.map((c) => c.reconnects);
    await cluster.kill(victim);
    await until(() => clients.every((c, i) => c.reconnects > reconnects[i] && c.socket.connected), 'every client to reconnect through the proxy', 60_000);
    const other = cluster.sidecars.find((s) => s !== victim)!;
    expect(await connectedClients(other)).toBeGreaterThanOrEqual(clients.length);
    await settle('sidecar killed behind the proxy');
    await cluster.startProc(victim);
  });
});

// With the load paused: every client shows the database's figures, the ledger balances, and every request took
// effect exactly as its final answer says.
async function settle(when: string) {
  await load.pause();
  try {
    expect(load.ops.filter((o) => o.status === undefined).map((o) => `${o.key} ${o.gaveUp}`)).toEqual([]);
    expect((await waitForConvergence(cluster.sql, world, clients, 45_000)).slice(0, 20), `clients: ${when}`).toEqual([]);
    expect(verifyIssues(await verify(conn, world))).toEqual([]);
    expect(await effectMismatches(cluster.sql, load.ops)).toEqual([]);
    const s = load.summary();
    log(`${when}: ${s.applied} commands applied through the proxy, ${clients.length} clients match the database`);
  } finally {
    load.resume();
  }
}

async function connectedClients(sidecar: Proc): Promise<number> {
  const token = process.env.METRICS_TOKEN;
  const res = await fetch(`${sidecar.url}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const text = await res.text();
  return [...text.matchAll(/^onhand_realtime_connected_clients\{[^}]*\} (\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0);
}

async function until<T>(probe: () => T | Promise<T>, what: string, timeoutMs = 60_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${proxy ? `\nnginx: ${proxy.log().slice(-2000)}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
