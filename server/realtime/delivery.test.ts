// What a committed command sends, to whom, and what a rolled-back one does not; alerts; two sidecars.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alerts } from '@/db/schema';
import type { AlertMessage, AvailabilityMessage, LevelMessage } from '@/lib/contracts/realtime';
import { adjust, receive, reserve } from '@/server/inventory';
import { makeWorld, testActor, testConnection, type World } from '@/server/testing/fixtures';
import {
  collect,
  connected,
  join,
  makeUser,
  staffClient,
  startSidecar,
  storefrontClient,
  tokenFor,
  waitFor,
  type Sidecar,
} from './test-support';

const conn = testConnection();
const opts = { actor: testActor };
let sidecar: Sidecar;
let w1: World;
let w2: World;
let staffId: string;
let managerId: string;
const sockets: { close: () => unknown }[] = [];

async function staffIn(room: string, userId = staffId, role: 'staff' | 'manager' = 'staff', url = sidecar.url) {
  const s = staffClient(url, () => tokenFor(userId, role));
  sockets.push(s);
  await connected(s);
  expect((await join(s, [room])).joined).toEqual([room]);
  return s;
}

beforeAll(async () => {
  [w1, w2] = await Promise.all([makeWorld(conn), makeWorld(conn)]);
  [staffId, managerId] = await Promise.all([makeUser(conn, 'staff'), makeUser(conn, 'manager')]);
  sidecar = await startSidecar();
});
afterAll(async () => {
  sockets.forEach((s) => s.close());
  await sidecar.close();
  await conn.close();
});

describe('a committed command', () => {
  it('arrives with the database version in its warehouse room and not in another', async () => {
    const a = await staffIn(`warehouse:${w1.warehouseId}`);
    const b = await staffIn(`warehouse:${w2.warehouseId}`);
    const atA = collect<LevelMessage>(a, 'level');
    const atB = collect<LevelMessage>(b, 'level');

    const r1 = await receive(conn.db, { sku: w1.skus[0], warehouse: w1.warehouse, location: 'A-01', qty: 7 }, opts);
    const r2 = await receive(conn.db, { sku: w1.skus[0], warehouse: w1.warehouse, location: 'A-01', qty: 2 }, opts);
    // A marker in the other warehouse: once B has it, B has had every earlier commit it would ever get.
    await receive(conn.db, { sku: w2.skus[0], warehouse: w2.warehouse, location: 'A-01', qty: 1 }, opts);
    await waitFor(() => atA.length >= 2 && atB.length >= 1, 'both rooms');

    const bin = w1.bins['A-01'];
    expect(atA).toEqual([
      { productId: w1.productIds[w1.skus[0]], sku: w1.skus[0], warehouseId: w1.warehouseId, locationId: bin.id, locationCode: 'A-01', onHand: 7, reserved: 0, available: 7, version: r1.version },
      { productId: w1.productIds[w1.skus[0]], sku: w1.skus[0], warehouseId: w1.warehouseId, locationId: bin.id, locationCode: 'A-01', onHand: 9, reserved: 0, available: 9, version: r2.version },
    ]);
    expect(r2.version).toBe(r1.version + 1);
    expect(atB.map((m) => m.warehouseId)).toEqual([w2.warehouseId]);
    expect(atB.some((m) => m.sku === w1.skus[0])).toBe(false);
  });

  it('sends every level a multi-row command touched, reservations included', async () => {
    const a = await staffIn(`warehouse:${w1.warehouseId}`);
    const got = collect<LevelMessage>(a, 'level');
    await receive(conn.db, { sku: w1.skus[1], warehouse: w1.warehouse, location: 'A-02', qty: 4 }, opts);
    const hold = await reserve(conn.db, { sku: w1.skus[1], qty: 3, warehouse: w1.warehouse }, opts);
    await waitFor(() => got.filter((m) => m.sku === w1.skus[1]).length >= 2, 'receipt and reservation');
    const last = got.filter((m) => m.sku === w1.skus[1]).at(-1)!;
    expect(last).toMatchObject({ locationCode: 'A-02', onHand: 4, reserved: 3, available: 1, version: 2 });
    expect(hold.id).toBeTruthy();
  });

  it('a rolled-back transaction sends nothing; the next commit is the next version', async () => {
    const a = await staffIn(`warehouse:${w1.warehouseId}`);
    const got = collect<LevelMessage>(a, 'level');
    const sku = w1.skus[2];
    const first = await receive(conn.db, { sku, warehouse: w1.warehouse, location: 'A-01', qty: 5 }, opts);
    await waitFor(() => got.some((m) => m.sku === sku), 'the receipt');

    // A write that reached the level row and was then rolled back, and a command the core refuses.
    await expect(
      conn.db.transaction(async (tx) => {
        await tx.execute(sql`UPDATE stock_levels SET on_hand = on_hand + 100, version = version + 1
          WHERE product_id = ${w1.productIds[sku]} AND location_id = ${w1.bins['A-01'].id}`);
        throw new Error('rolled back on purpose');
      }),
    ).rejects.toThrow('rolled back on purpose');
    await expect(adjust(conn.db, { sku, warehouse: w1.warehouse, location: 'A-01', delta: -50, reason: 'damaged' }, opts)).rejects.toMatchObject({
      type: 'insufficient_stock',
    });
    const next = await adjust(conn.db, { sku, warehouse: w1.warehouse, location: 'A-01', delta: -1, reason: 'damaged' }, opts);
    await waitFor(() => got.filter((m) => m.sku === sku).length >= 2, 'the adjustment');

    const mine = got.filter((m) => m.sku === sku);
    expect(mine.map((m) => [m.onHand, m.version])).toEqual([
      [5, first.version],
      [4, first.version + 1],
    ]);
    expect(next.version).toBe(first.version + 1);
    expect(mine.some((m) => m.onHand >= 100)).toBe(false);
  });
});

describe('alerts', () => {
  it('reach managers in the alerts room, once per version', async () => {
    const m = await staffIn('alerts', managerId, 'manager');
    const got = collect<AlertMessage>(m, 'alert');
    const productId = w1.productIds[w1.skus[0]];
    const [row] = await conn.db
      .insert(alerts)
      .values({ productId, warehouseId: w1.warehouseId, kind: 'low_stock', available: 2, threshold: 5 })
      .returning();
    await conn.db.execute(sql`UPDATE alerts SET status = 'acknowledged', version = version + 1 WHERE id = ${row.id}`);
    await waitFor(() => got.filter((a) => a.id === row.id).length >= 2, 'both alert versions');
    expect(got.filter((a) => a.id === row.id)).toEqual([
      { id: row.id, productId, sku: w1.skus[0], warehouseId: w1.warehouseId, kind: 'low_stock', status: 'open', available: 2, threshold: 5, snoozedUntil: null, acknowledgedBy: null, note: null, version: 1 },
      { id: row.id, productId, sku: w1.skus[0], warehouseId: w1.warehouseId, kind: 'low_stock', status: 'acknowledged', available: 2, threshold: 5, snoozedUntil: null, acknowledgedBy: null, note: null, version: 2 },
    ]);
  });
});

describe('storefront', () => {
  it('acks current availability, then sends only public fields, conflated to the latest', async () => {
    const world = await makeWorld(conn, { products: 1 });
    const sku = world.skus[0];
    await receive(conn.db, { sku, warehouse: world.warehouse, location: 'A-01', qty: 10 }, opts);
    // Stock in shipping is not sellable: it moves the version, not the figure.
    await receive(conn.db, { sku, warehouse: world.warehouse, location: 'SHIP', qty: 4 }, opts);
    const s = storefrontClient(sidecar.url);
    sockets.push(s);
    await connected(s);
    const got = collect<AvailabilityMessage>(s, 'availability');
    await waitFor(() => sidecar.realtime.cache.availability(world.productIds[sku])?.version === 2, 'the cache');
    const ack = await s.timeout(5000).emitWithAck('subscribe', { skus: [sku, 'NO-SUCH-SKU'] });
    expect(ack).toEqual({ ok: true, items: [{ sku, channel: 'default', available: 10, status: 'in_stock', version: 2 }], unknown: ['NO-SUCH-SKU'] });

    const changes = Array.from({ length: 5 }, () => adjust(conn.db, { sku, warehouse: world.warehouse, location: 'A-01', delta: -2, reason: 'damaged' }, opts));
    await Promise.all(changes);
    await waitFor(() => got.at(-1)?.available === 0, 'the last figure');
    expect(got.at(-1)).toEqual({ sku, channel: 'default', available: 0, status: 'out_of_stock', version: 7 });
    expect(got.length).toBeLessThanOrEqual(5);
    for (const m of got) expect(Object.keys(m).sort()).toEqual(['available', 'channel', 'sku', 'status', 'version']);
    expect(got.map((m) => m.version)).toEqual([...got.map((m) => m.version)].sort((a, b) => a - b));
  });

  it('a product created after the sidecar started is found on subscribe and stays live', async () => {
    const world = await makeWorld(conn, { products: 1 });
    const sku = world.skus[0];
    const s = storefrontClient(sidecar.url);
    sockets.push(s);
    await connected(s);
    const got = collect<AvailabilityMessage>(s, 'availability');
    expect(await s.timeout(5000).emitWithAck('subscribe', { skus: [sku] })).toMatchObject({ ok: true, items: [{ sku, available: 0, status: 'out_of_stock' }] });
    await receive(conn.db, { sku, warehouse: world.warehouse, location: 'PICK-01', qty: 3 }, opts);
    await waitFor(() => got.some((m) => m.available === 3), 'the receipt');
    expect(got.at(-1)).toEqual({ sku, channel: 'default', available: 3, status: 'in_stock', version: 1 });
  });

  it('refuses malformed and oversized subscriptions', async () => {
    const s = storefrontClient(sidecar.url);
    sockets.push(s);
    await connected(s);
    expect(await s.timeout(5000).emitWithAck('subscribe', { skus: 'A' } as never)).toMatchObject({ ok: false, error: 'invalid' });
    const many = Array.from({ length: 101 }, (_, i) => `S-${i}`);
    expect(await s.timeout(5000).emitWithAck('subscribe', { skus: many })).toMatchObject({ ok: false, error: 'too_many_skus' });
    // Unknown SKUs cost the database one look-up, then are remembered; a socket that keeps asking is slowed.
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => s.timeout(5000).emitWithAck('subscribe', { skus: [`NOPE-${i % 3}`] })));
    expect(answers.filter((a) => a.ok)).toHaveLength(28);
    expect(answers.at(-1)).toMatchObject({ ok: false, error: 'rate_limited' });
  });
});

describe('scale-out', () => {
  it('two sidecars on two ports both deliver every change to their own clients', async () => {
    const second = await startSidecar();
    try {
      const a = await staffIn(`warehouse:${w2.warehouseId}`);
      const b = await staffIn(`warehouse:${w2.warehouseId}`, staffId, 'staff', second.url);
      const atA = collect<LevelMessage>(a, 'level');
      const atB = collect<LevelMessage>(b, 'level');
      const sku = w2.skus[1];
      const results = [];
      for (let i = 1; i <= 5; i++) results.push(await receive(conn.db, { sku, warehouse: w2.warehouse, location: 'A-02', qty: i }, opts));
      const versions = results.map((r) => r.version);
      const mine = (got: LevelMessage[]) => got.filter((m) => m.sku === sku).map((m) => m.version);
      await waitFor(() => mine(atA).length === 5 && mine(atB).length === 5, 'five changes at both');
      expect(mine(atA)).toEqual(versions);
      expect(mine(atB)).toEqual(versions);
      expect(second.port).not.toBe(sidecar.port);
    } finally {
      await second.close();
    }
  });
});
