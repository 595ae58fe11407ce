// The app server (server/http/app-server.ts) as it runs in production: the built app with /api/v1 on the lean path,
// beside a second app process on the same database that serves everything through Next (ONHAND_LEAN_API=0). The
// lean path answers exactly as Next does (status, headers, body), streams a CSV upload, leaves unknown paths and
// methods to Next, is counted by /metrics (served by Next), and the rest of the app (pages, session-checked CSV
// exports) is still Next's on the same port.
import fs from 'node:fs';
import http from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connect, type Connection } from '@/db/client';
import { accounts, users } from '@/db/schema';
import { Cluster, type Proc } from './cluster';
import { makeWorld, type World } from './world';

vi.mock('server-only', () => ({}));

const log = (s: string) => console.log(`[app-server] ${s}`);
let cluster: Cluster;
let conn: Connection;
let world: World;
let lean: Proc;
let viaNext: Proc;

beforeAll(async () => {
  cluster = await Cluster.start({ workDir: `.data/app-server-${process.pid}`, apps: 2, sidecars: 1, appEnv: (i): Record<string, string> => (i === 2 ? { ONHAND_LEAN_API: '0' } : {}), log });
  conn = connect(cluster.url, { max: 2 });
  world = await makeWorld(conn, { products: 3 });
  await cluster.startAll();
  [lean, viaNext] = cluster.apps;
}, 300_000);

afterAll(async () => {
  await conn?.close();
  await cluster?.stop();
  cluster?.removeFiles();
}, 60_000);

const bearer = () => ({ authorization: `Bearer ${world.apiKey}` });

// An answer as a caller sees it, without what differs by nature between two answers (time, request id, framing of
// the connection) and with ids made alike.
async function seen(app: Proc, path: string, init: RequestInit = {}) {
  const res = await fetch(`${app.url}${path}`, { redirect: 'manual', ...init });
  const headers: Record<string, string> = {};
  res.headers.forEach((v, k) => {
    if (!['date', 'x-request-id', 'connection', 'keep-alive'].includes(k)) headers[k] = v;
  });
  const body = (await res.text()).replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>').replaceAll(String(app.port), '<port>');
  return { status: res.status, headers, body, requestId: res.headers.get('x-request-id') };
}

const apiResponses = async (app: Proc, method: string, status: number) => {
  const text = await (await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${cluster.metricsToken}` } })).text();
  const line = text.split('\n').find((l) => l.startsWith(`onhand_api_responses_total{method="${method}",status="${status}"}`));
  return line ? Number(line.split(' ').pop()) : 0;
};

describe('the app server: /api/v1 on the lean path, the rest through Next.js', () => {
  it('serves /api/v1 itself and pages, health and metrics through Next, on one port', async () => {
    expect(fs.readFileSync(lean.logFile, 'utf8')).toMatch(/\/api\/v1 on the lean path/);
    expect(fs.readFileSync(viaNext.logFile, 'utf8')).not.toMatch(/\/api\/v1 on the lean path/);
    const stock = await fetch(`${lean.url}/api/v1/stock?sku=${world.skus[0]}`, { headers: bearer() });
    expect(stock.status).toBe(200);
    expect(stock.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(await stock.json())).toContain(world.skus[0]);
    expect((await fetch(`${lean.url}/api/health`)).status).toBe(200);
    const page = await fetch(`${lean.url}/sign-in`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self' 'nonce-/);
  });

  it('answers every kind of request exactly as Next.js answers it', async () => {
    const sku = world.skus[1];
    const shop = { origin: 'https://shop.example' };
    const cases: [string, RequestInit][] = [
      [`/api/v1/stock?sku=${sku}`, { headers: bearer() }],
      [`/api/v1/stock?sku=${sku}`, {}],
      [`/api/v1/stock?sku=${sku}`, { headers: { authorization: 'Bearer onhand_not_a_key' } }],
      [`/api/v1/stock?warehouse=${'x'.repeat(300)}`, { headers: bearer() }],
      ['/api/v1/reservations', { method: 'POST', headers: { ...bearer(), 'content-type': 'application/json', 'idempotency-key': randomUUID() }, body: '{"sku":' }],
      ['/api/v1/reservations', { method: 'POST', headers: { ...bearer(), 'content-type': 'application/json' }, body: JSON.stringify({ sku, qty: 1 }) }],
      ['/api/v1/reservations', { method: 'POST', headers: { ...bearer(), 'content-type': 'application/json', 'idempotency-key': randomUUID() }, body: JSON.stringify({ sku: 'NO-SUCH-SKU', qty: 1 }) }],
      ['/api/v1/orders/not-a-uuid', { headers: bearer() }],
      [`/api/v1/reservations/${randomUUID()}`, { method: 'DELETE', headers: { ...bearer(), 'idempotency-key': randomUUID() } }],
      [`/api/v1/products/${encodeURIComponent('NO SUCH/SKU')}`, { method: 'PUT', headers: { ...bearer(), 'content-type': 'application/json' }, body: '{}' }],
      ['/api/v1/openapi.json', {}],
      [`/api/v1/availability?sku=${sku}`, { headers: shop }],
      ['/api/v1/availability', { method: 'OPTIONS', headers: { ...shop, 'access-control-request-method': 'GET' } }],
      // Not a route's path or method: Next's own answers, on both.
      ['/api/v1/nope', { headers: bearer() }],
      ['/api/v1/stock', { method: 'PATCH', headers: bearer() }],
      [`/api/v1/stock?sku=${sku}`, { method: 'HEAD', headers: bearer() }],
      ['/api/v1/stock', { method: 'OPTIONS', headers: { ...shop, 'access-control-request-method': 'GET' } }],
      ['/api/v1/stock/', { headers: bearer() }],
    ];
    for (const [path, init] of cases) {
      const a = await seen(lean, path, init);
      const b = await seen(viaNext, path, init);
      const what = `${init.method ?? 'GET'} ${path.slice(0, 60)}`;
      expect({ status: a.status, headers: a.headers, body: a.body }, what).toEqual({ status: b.status, headers: b.headers, body: b.body });
      if (path.startsWith('/api/v1/stock?') && init.method === undefined) expect(a.requestId, what).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('answers an unknown path or method with Next’s 404 and 405, and a keyed route’s preflight grants nothing', async () => {
    expect((await fetch(`${lean.url}/api/v1/nope`)).status).toBe(404);
    const patch = await fetch(`${lean.url}/api/v1/stock`, { method: 'PATCH' });
    expect(patch.status).toBe(405);
    const preflight = await fetch(`${lean.url}/api/v1/stock`, { method: 'OPTIONS', headers: { origin: 'https://shop.example', 'access-control-request-method': 'GET' } });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const problem = await fetch(`${lean.url}/api/v1/stock?sku=${world.skus[0]}`);
    expect(problem.status).toBe(401);
    expect(problem.headers.get('content-type')).toBe('application/problem+json');
    expect(await problem.json()).toMatchObject({ status: 401, title: expect.any(String) });
  });

  it('reads a CSV upload as a stream: an import runs, and one declared over the limit is refused before its body is sent', async () => {
    const sku = `LEAN-${randomBytes(3).toString('hex').toUpperCase()}`;
    const encoder = new TextEncoder();
    const lines = ['sku,name,threshold\n', `${sku},Streamed lamp,3\n`];
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const line = lines.shift();
        if (line) controller.enqueue(encoder.encode(line));
        else controller.close();
      },
    });
    const res = await fetch(`${lean.url}/api/v1/imports?kind=products`, {
      method: 'POST',
      headers: { ...bearer(), 'content-type': 'text/csv', 'idempotency-key': randomUUID() },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toMatchObject({ dryRun: true, counts: { new: 1, refused: 0 } });

    // 300 MB declared, a few bytes sent: the answer comes while the rest of the body never does.
    const refused = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(`${lean.url}/api/v1/imports?kind=products`, {
        method: 'POST',
        headers: { ...bearer(), 'content-type': 'text/csv', 'content-length': String(300 * 1024 * 1024), 'idempotency-key': randomUUID() },
      });
      req.on('response', (r) => {
        let text = '';
        r.on('data', (c: Buffer) => (text += c.toString()));
        r.on('end', () => {
          resolve({ status: r.statusCode!, body: text });
          req.destroy();
        });
      });
      req.on('error', reject);
      req.write('sku,name\n');
    });
    expect(refused.status).toBe(413);
    expect(JSON.parse(refused.body)).toMatchObject({ type: expect.stringContaining('payload_too_large') });
  });

  it('is counted by /metrics, which Next serves from the same process', async () => {
    const before = { ok: await apiResponses(lean, 'GET', 200), unauthorized: await apiResponses(lean, 'GET', 401) };
    for (let i = 0; i < 3; i++) expect((await fetch(`${lean.url}/api/v1/stock?sku=${world.skus[0]}`, { headers: bearer() })).status).toBe(200);
    expect((await fetch(`${lean.url}/api/v1/stock?sku=${world.skus[0]}`)).status).toBe(401);
    expect(await apiResponses(lean, 'GET', 200)).toBe(before.ok + 3);
    expect(await apiResponses(lean, 'GET', 401)).toBe(before.unauthorized + 1);
  });

  it('streams a dashboard CSV export to a signed-in manager through Next on the same port', async () => {
    const cookie = await managerSession(lean);
    const res = await fetch(`${lean.url}/api/dashboard/exports/stock?warehouse=${world.warehouse}`, { headers: { cookie } });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const csv = await res.text();
    for (const sku of world.skus) expect(csv).toContain(sku);
  });
});

// A manager with a password, signed in through better-auth against the cluster's database and secret: the cookie is
// the one a browser would hold.
async function managerSession(app: Proc): Promise<string> {
  Object.assign(process.env, { DATABASE_URL: cluster.url, BETTER_AUTH_SECRET: cluster.secret, ONHAND_URL: app.url });
  const { hashPassword } = await import('better-auth/crypto');
  const { getAuth } = await import('@/server/auth/auth');
  const id = `u_${randomBytes(6).toString('hex')}`;
  const email = `${id}@onhand.test`;
  const password = 'correct-horse-battery-staple';
  await conn.db.insert(users).values({ id, name: 'Lean path manager', email, role: 'manager', emailVerified: true });
  await conn.db.insert(accounts).values({ id: randomUUID(), accountId: id, providerId: 'credential', userId: id, password: await hashPassword(password) });
  const res = await getAuth().api.signInEmail({ body: { email, password }, returnHeaders: true });
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}
