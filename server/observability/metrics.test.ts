// GET /metrics: what a Prometheus scrape sees after real commands through the REST API, and who may scrape.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));
vi.mock('next/headers', async () => (await import('@/server/testing/request-scope')).nextHeadersMock);
vi.mock('next/cache', async () => (await import('@/server/testing/request-scope')).nextCacheMock);

import { GET as metricsRoute } from '@/app/metrics/route';
import { POST as reservationsRoute } from '@/app/api/v1/reservations/route';
import { POST as movementsRoute } from '@/app/api/v1/movements/route';
import { getConnection } from '@/db/client';
import { BASE, call, makeKey, request, type TestKey } from '@/server/api/test-support';
import { makeWorld, testConnection, type World } from '@/server/testing/fixtures';
import { anonymous, as, signInAs, type TestSession } from '@/server/testing/request-scope';

const TOKEN = 'metrics-token-for-tests-0123456789';
const conn = testConnection();
let w: World;
let key: TestKey;
let staff: TestSession;
let admin: TestSession;
beforeAll(async () => {
  process.env.METRICS_TOKEN = TOKEN;
  w = await makeWorld(conn, { products: 1 });
  key = await makeKey(conn, ['stock:write', 'reservations:write']);
  staff = await signInAs(conn, 'staff');
  admin = await signInAs(conn, 'admin');
});
afterAll(async () => {
  await conn.close();
  await getConnection().close();
});

const scrape = (session: TestSession, authorization?: string) =>
  as(session, async () => {
    const res = await metricsRoute(new Request(`${BASE}/metrics`, { headers: authorization ? { authorization } : {} }));
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  }, session.cookie ? { cookie: session.cookie } : {});

// The value of one sample, 0 when the series does not exist yet.
function sample(text: string, name: string, labels: Record<string, string>): number {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    const m = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (m && m[1] === name && want.every((l) => (m[2] ?? '').split(',').includes(l))) return Number(m[3]);
  }
  return 0;
}

describe('GET /metrics', () => {
  it('counts each command by outcome, its duration and the API answers, for a scraper holding the token', async () => {
    const before = (await scrape(anonymous, `Bearer ${TOKEN}`)).text;
    const sku = w.skus[0];
    const idem = crypto.randomUUID();
    const receipt = { kind: 'receipt', sku, warehouse: w.warehouse, location: 'A-01', qty: 2 };
    expect((await call(movementsRoute, request('POST', '/api/v1/movements', { key, body: receipt, idem }))).status).toBe(201);
    // The same request again with its key: answered from the stored outcome, not applied twice.
    expect((await call(movementsRoute, request('POST', '/api/v1/movements', { key, body: receipt, idem }))).status).toBe(201);
    expect((await call(reservationsRoute, request('POST', '/api/v1/reservations', { key, body: { sku, qty: 3 } }))).status).toBe(409);
    // The key again with another request: refused as a mismatch, not counted as a replay.
    expect((await call(movementsRoute, request('POST', '/api/v1/movements', { key, body: { ...receipt, qty: 5 }, idem }))).status).toBe(422);

    const after = await scrape(anonymous, `Bearer ${TOKEN}`);
    expect(after.status).toBe(200);
    expect(after.type).toContain('text/plain');
    const grew = (name: string, labels: Record<string, string>) => sample(after.text, name, labels) - sample(before, name, labels);
    expect(grew('onhand_commands_total', { command: 'receive', outcome: 'applied' })).toBe(1);
    expect(grew('onhand_commands_total', { command: 'receive', outcome: 'replayed' })).toBe(1);
    expect(grew('onhand_commands_total', { command: 'reserve', outcome: 'insufficient_stock' })).toBe(1);
    expect(grew('onhand_commands_total', { command: 'receive', outcome: 'idempotency_mismatch' })).toBe(1);
    expect(grew('onhand_command_duration_seconds_count', { command: 'receive' })).toBe(3);
    expect(grew('onhand_api_responses_total', { method: 'POST', status: '201' })).toBe(2);
    expect(grew('onhand_api_responses_total', { method: 'POST', status: '422' })).toBe(1);
    expect(grew('onhand_api_responses_total', { method: 'POST', status: '409' })).toBe(1);
    // The process's own figures come with them.
    expect(sample(after.text, 'onhand_app_process_resident_memory_bytes', {})).toBeGreaterThan(0);
  });

  it('is refused without the token or an admin session, with a wrong token, and to staff', async () => {
    const anon = await scrape(anonymous);
    expect(anon.status).toBe(401);
    expect(anon.text).toContain('METRICS_TOKEN');
    expect((await scrape(anonymous, 'Bearer not-the-token')).status).toBe(401);
    expect((await scrape(anonymous, `Bearer ${key.secret}`)).status).toBe(401);
    const asStaff = await scrape(staff);
    expect(asStaff.status).toBe(403);
    expect(asStaff.text).not.toContain('onhand_commands_total');
    expect((await scrape(admin)).status).toBe(200);
  });
});
