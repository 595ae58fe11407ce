// Who may open a socket and join which room, which pages may connect at all, and what /health and /metrics say.
import { sql } from 'drizzle-orm';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LevelMessage } from '@/lib/contracts/realtime';
import { receive } from '@/server/inventory';
import { makeWorld, testActor, testConnection, type World } from '@/server/testing/fixtures';
import { mintToken } from '@/server/auth/socket-token';
import {
  APP_URL,
  connected,
  join,
  makeChannel,
  makeUser,
  staffClient,
  startSidecar,
  storefrontClient,
  tokenFor,
  tokenKey,
  waitFor,
  type Sidecar,
  type StaffSocket,
  type StorefrontSocket,
} from './test-support';

const conn = testConnection();
let sidecar: Sidecar;
let w: World;
const ids = { staff: '', manager: '', admin: '' };
let shopChannel = '';
const sockets: (StaffSocket | StorefrontSocket)[] = [];

beforeAll(async () => {
  w = await makeWorld(conn, { products: 1 });
  for (const role of ['staff', 'manager', 'admin'] as const) ids[role] = await makeUser(conn, role);
  shopChannel = await makeChannel(conn, { origins: ['https://shop.example'] });
  sidecar = await startSidecar();
});
afterAll(async () => {
  sockets.forEach((s) => s.close());
  await sidecar.close();
  await conn.close();
});

function refusedWith(socket: Socket): Promise<string> {
  sockets.push(socket as StaffSocket);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => reject(new Error('connected, but should have been refused')));
    socket.once('connect_error', (e) => {
      socket.close();
      resolve(e.message);
    });
  });
}

async function open(token: string, origin?: string) {
  const s = staffClient(sidecar.url, () => token, { origin });
  sockets.push(s);
  await connected(s);
  return s;
}

describe('the staff handshake', () => {
  it('refuses a socket without a token, with a forged one, and with an expired one', async () => {
    expect(await refusedWith(staffClient(sidecar.url, () => undefined))).toBe('unauthorized');
    const good = tokenFor(ids.staff, 'staff');
    const [v, , sig] = good.split('.');
    const forgedBody = Buffer.from(JSON.stringify({ sub: ids.admin, role: 'admin', exp: Math.floor(Date.now() / 1000) + 60 })).toString('base64url');
    expect(await refusedWith(staffClient(sidecar.url, () => `${v}.${forgedBody}.${sig}`))).toBe('unauthorized');
    const expired = mintToken(tokenKey, { id: ids.staff, role: 'staff', sessionId: 's_expired' }, Date.now() - 120_000).token;
    expect(await refusedWith(staffClient(sidecar.url, () => expired))).toBe('unauthorized');
  });

  it('refuses a page from another origin, and accepts the app itself', async () => {
    const token = tokenFor(ids.staff, 'staff');
    expect(await refusedWith(staffClient(sidecar.url, () => token, { origin: 'https://shop.example' }))).toBe('origin_not_allowed');
    const s = await open(token, APP_URL);
    expect(s.connected).toBe(true);
  });

  it('answers 403 before any Socket.IO work to an origin it does not know', async () => {
    const res = await fetch(`${sidecar.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin: 'https://evil.example' } });
    expect(res.status).toBe(403);
    const ok = await fetch(`${sidecar.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin: APP_URL } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe(APP_URL);
  });
});

describe('joining rooms', () => {
  it('staff may join a warehouse but not alerts; managers and admins may join both', async () => {
    const staff = await open(tokenFor(ids.staff, 'staff'));
    expect(await join(staff, [`warehouse:${w.warehouseId}`, 'alerts'])).toEqual({
      joined: [`warehouse:${w.warehouseId}`],
      refused: [{ room: 'alerts', reason: 'forbidden' }],
    });
    for (const role of ['manager', 'admin'] as const) {
      const s = await open(tokenFor(ids[role], role));
      expect((await join(s, ['alerts', `warehouse:${w.warehouseId}`])).joined).toEqual(['alerts', `warehouse:${w.warehouseId}`]);
    }
  });

  it('a validly signed token for nobody connects but cannot join anything', async () => {
    const s = await open(tokenFor('nobody', 'admin'));
    const wanted = [...new Set([`warehouse:${w.warehouseId}`, 'warehouse:1', 'alerts'])];
    expect(await join(s, wanted)).toEqual({ joined: [], refused: wanted.map((room) => ({ room, reason: 'forbidden' })) });
  });

  it('the role is the database’s at each join: a demoted manager loses alerts', async () => {
    const id = await makeUser(conn, 'manager');
    const s = await open(tokenFor(id, 'manager'));
    expect((await join(s, ['alerts'])).joined).toEqual(['alerts']);
    await conn.db.execute(sql`UPDATE users SET role = 'staff' WHERE id = ${id}`);
    // The sidecar remembers a role for two seconds at most.
    await waitFor(async () => (await join(s, ['alerts'])).refused.length === 1, 'the demotion to count', 5000);
  });

  it('refuses rooms that are not rooms, and warehouses that do not exist', async () => {
    const s = await open(tokenFor(ids.admin, 'admin'));
    expect(await join(s, ['sku:X', 'warehouse:abc', 'warehouse:2147483000'])).toEqual({
      joined: [],
      refused: [
        { room: 'sku:X', reason: 'invalid' },
        { room: 'warehouse:abc', reason: 'invalid' },
        { room: 'warehouse:2147483000', reason: 'unknown_room' },
      ],
    });
  });

  it('a socket that was refused a room receives nothing from it', async () => {
    const nobody = await open(tokenFor('nobody', 'staff'));
    await join(nobody, [`warehouse:${w.warehouseId}`]);
    const staff = await open(tokenFor(ids.staff, 'staff'));
    await join(staff, [`warehouse:${w.warehouseId}`]);
    const leaked: LevelMessage[] = [];
    const seen: LevelMessage[] = [];
    nobody.on('level', (m) => leaked.push(m));
    staff.on('level', (m) => seen.push(m));
    await receive(conn.db, { sku: w.skus[0], warehouse: w.warehouse, location: 'A-01', qty: 1 }, { actor: testActor });
    await waitFor(() => seen.length > 0, 'the staff socket to hear the change');
    expect(leaked).toEqual([]);
  });
});

describe('the storefront namespace', () => {
  it('is public but only for origins a channel lists (and the app), each reading only its own channels', async () => {
    expect(await refusedWith(storefrontClient(sidecar.url, { origin: 'https://other-shop.example' }))).toMatch(/origin_not_allowed|xhr poll error|websocket error/);
    for (const origin of ['https://shop.example', APP_URL, undefined]) {
      const s = storefrontClient(sidecar.url, { origin });
      sockets.push(s);
      await connected(s);
      const own = await s.timeout(5000).emitWithAck('subscribe', { skus: [w.skus[0]], channel: shopChannel });
      expect(own).toMatchObject({ ok: true, items: [{ sku: w.skus[0], channel: shopChannel }] });
      // The default channel lists no origin: the shop's page may not read it, the app and a server may.
      const other = await s.timeout(5000).emitWithAck('subscribe', { skus: [w.skus[0]] });
      expect(other.ok).toBe(origin !== 'https://shop.example');
      if (!other.ok) expect(other.error).toBe('origin_not_allowed');
    }
  });

  it('cannot join staff rooms or send staff events', async () => {
    const s = storefrontClient(sidecar.url);
    sockets.push(s);
    await connected(s);
    const got: unknown[] = [];
    s.onAny((event, ...args) => got.push([event, args]));
    (s as unknown as { emit: (e: string, p: unknown) => void }).emit('join', { rooms: [`warehouse:${w.warehouseId}`] });
    await s.timeout(5000).emitWithAck('subscribe', { skus: [w.skus[0]] });
    await receive(conn.db, { sku: w.skus[0], warehouse: w.warehouse, location: 'A-01', qty: 1 }, { actor: testActor });
    await waitFor(() => got.length > 0, 'the availability message');
    expect(got).toEqual([['availability', [{ sku: w.skus[0], channel: 'default', available: expect.any(Number), status: 'in_stock', version: expect.any(Number) }]]]);
  });
});

describe('health and metrics', () => {
  it('/health says live, /metrics counts clients, messages and feed lag, with the process figures', async () => {
    const health = await fetch(`${sidecar.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, feed: 'live' });
    // Without the token, nothing: the figures say how busy the business is.
    const anon = await fetch(`${sidecar.url}/metrics`);
    expect(anon.status).toBe(401);
    expect(anon.headers.get('content-type')).toBe('application/problem+json');
    expect(await anon.text()).toContain('METRICS_TOKEN');
    expect((await fetch(`${sidecar.url}/metrics`, { headers: { authorization: 'Bearer not-the-token' } })).status).toBe(401);
    process.env.METRICS_TOKEN = 'sidecar-metrics-token';
    expect((await fetch(`${sidecar.url}/metrics`, { headers: { authorization: 'Bearer not-the-token' } })).status).toBe(401);
    const text = await (await fetch(`${sidecar.url}/metrics`, { headers: { authorization: 'Bearer sidecar-metrics-token' } })).text();
    delete process.env.METRICS_TOKEN;
    expect(text).toMatch(/^onhand_realtime_connected_clients\{namespace="\/"\} \d+$/m);
    expect(text).toMatch(/^onhand_realtime_connected_clients\{namespace="\/storefront"\} \d+$/m);
    expect(text).toMatch(/^onhand_realtime_messages_out_total\{event="level"\} [1-9]\d*$/m);
    expect(text).toMatch(/^onhand_realtime_feed_lag_seconds_count [1-9]\d*$/m);
    expect(text).toMatch(/^onhand_realtime_feed_up 1$/m);
    // The process's own figures come with them, under the sidecar's prefix.
    expect(text).toMatch(/^onhand_realtime_process_resident_memory_bytes [1-9]\d*$/m);
    expect((await fetch(`${sidecar.url}/nothing`)).status).toBe(404);
  });
});
