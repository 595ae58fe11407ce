// What a hostile staff client can do with a real socket: replay a token, join too often or too much, send
// garbage. Each is refused with a reason, and the sidecar stays healthy without an unhandled rejection.
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouses } from '@/db/schema';
import { makeWorld, testConnection, type World } from '@/server/testing/fixtures';
import { JOINS_PER_WINDOW } from './staff-namespace';
import {
  connected,
  join,
  makeUser,
  startSidecar,
  staffClient,
  storefrontClient,
  tokenFor,
  waitFor,
  type Sidecar,
  type StaffSocket,
  type StorefrontSocket,
} from './test-support';

const conn = testConnection();
let sidecar: Sidecar;
let w: World;
let staffId = '';
const sockets: (StaffSocket | StorefrontSocket)[] = [];
const rejections: unknown[] = [];
const onRejection = (e: unknown) => rejections.push(e);

beforeAll(async () => {
  process.on('unhandledRejection', onRejection);
  w = await makeWorld(conn, { products: 1 });
  staffId = await makeUser(conn, 'staff');
  sidecar = await startSidecar();
});
afterAll(async () => {
  process.off('unhandledRejection', onRejection);
  sockets.forEach((s) => s.close());
  await sidecar.close();
  await conn.close();
});

async function open(token = tokenFor(staffId, 'staff')) {
  const s = staffClient(sidecar.url, () => token);
  sockets.push(s);
  await connected(s);
  return s;
}

describe('staff socket tokens', () => {
  it('open one socket: the same token again is refused', async () => {
    const token = tokenFor(staffId, 'staff');
    const first = await open(token);
    expect(first.connected).toBe(true);
    const replay = staffClient(sidecar.url, () => token, {});
    sockets.push(replay);
    await expect(connected(replay)).rejects.toThrow('unauthorized');
    replay.close();
    // The first socket is untouched by the replay.
    expect(await join(first, [`warehouse:${w.warehouseId}`])).toEqual({ joined: [`warehouse:${w.warehouseId}`], refused: [] });
  });
});

describe('joins per socket', () => {
  it(`answers ${JOINS_PER_WINDOW} joins, refuses the next with a reason, and drops a socket that keeps on`, async () => {
    const s = await open();
    const room = `warehouse:${w.warehouseId}`;
    for (let i = 0; i < JOINS_PER_WINDOW; i++) expect((await join(s, [room])).joined).toEqual([room]);
    expect(await join(s, [room])).toEqual({ joined: [], refused: [{ room, reason: 'rate_limited' }] });
    for (let i = 0; i < JOINS_PER_WINDOW; i++) s.emit('join', { rooms: [room] }, () => {});
    await waitFor(() => !s.connected, 'the socket dropped', 5000);
    expect(s.connected).toBe(false);
  });

  it('holds at most 200 rooms', async () => {
    const made = await conn.db
      .insert(warehouses)
      .values(Array.from({ length: 201 }, (_, i) => ({ code: `R${randomBytes(4).toString('hex')}${i}`, name: 'Room cap' })))
      .returning({ id: warehouses.id });
    const names = made.map((m) => `warehouse:${m.id}`);
    const s = await open();
    expect((await join(s, names.slice(0, 200))).joined).toHaveLength(200);
    expect(await join(s, [names[200]])).toEqual({ joined: [], refused: [{ room: names[200], reason: 'too_many_rooms' }] });
  });
});

describe('garbage on the sockets', () => {
  it('is refused or ignored, never an unhandled rejection, and the sidecar stays healthy', async () => {
    const garbage = fc.sample(fc.oneof(fc.anything(), fc.record({ rooms: fc.anything() }), fc.record({ skus: fc.anything(), channel: fc.anything() })), {
      numRuns: 150,
      seed: 17,
    });
    garbage.push(null, undefined, { rooms: ['warehouse:0', 'warehouse:-1', 'warehouse:1e9', 'x'.repeat(100_000)] }, { rooms: 'alerts' }, { skus: ['\u0000'] });
    // Three join or leave calls per value, and a valid join at the end: within one socket's rate.
    const batch = Math.floor((JOINS_PER_WINDOW - 1) / 3);
    for (let i = 0; i < garbage.length; i += batch) {
      const s = await open();
      const shop = storefrontClient(sidecar.url);
      sockets.push(shop);
      for (const g of garbage.slice(i, i + batch)) {
        // With an ack, without one, and with something that is not a function where the ack would be.
        const answers = await Promise.all([
          s.timeout(5000).emitWithAck('join', g as never),
          s.timeout(5000).emitWithAck('leave', g as never),
        ]);
        expect(answers[0]).toHaveProperty('refused');
        expect(answers[1]).toHaveProperty('left');
        (s as unknown as { emit: (...a: unknown[]) => void }).emit('join', g, 42);
        (s as unknown as { emit: (...a: unknown[]) => void }).emit('nonsense', g);
        (shop as unknown as { emit: (...a: unknown[]) => void }).emit('subscribe', g, 'x');
        (shop as unknown as { emit: (...a: unknown[]) => void }).emit('unsubscribe', g);
        const reply = await shop.timeout(5000).emitWithAck('subscribe', g as never);
        expect(reply).toHaveProperty('ok');
      }
      // Still a working socket after its garbage.
      expect(await join(s, [`warehouse:${w.warehouseId}`])).toEqual({ joined: [`warehouse:${w.warehouseId}`], refused: [] });
      s.close();
      shop.close();
    }
    const health = await fetch(`${sidecar.url}/health`);
    expect(health.status).toBe(200);
    expect(rejections).toEqual([]);
  });
});
