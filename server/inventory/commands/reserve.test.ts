import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locations, reservations } from '@/db/schema';
import { ledgerMismatches, makeWorld, testConnection, type World } from '@/server/testing/fixtures';
import { allocateOrder } from './allocate-order';
import { release } from './release';
import { reserve } from './reserve';
import { sweepExpiredHolds } from './sweep';
import { fingerprint, lastMoveId, levelsOf, movesOf, opts, stock } from '../test-support';

const conn = testConnection();
let w: World;
beforeAll(async () => {
  w = await makeWorld(conn, { bins: ['RECV', 'A-01', 'A-02', 'PICK-01', 'SHIP', 'Q-01', 'B-09'], products: 6 });
  // B-09 is a storage bin taken off sale.
  await conn.db.update(locations).set({ sellable: false }).where(eq(locations.id, w.bins['B-09'].id));
});
afterAll(() => conn.close());

const hold = (sku: string, qty: number, extra: Record<string, unknown> = {}) =>
  reserve(conn.db, { sku, qty, ...extra }, opts);

describe('reserve', () => {
  it('holds from the pick bin first, then the fullest storage bin, and writes one ledger row per location', async () => {
    const sku = w.skus[0];
    await stock(conn, w, sku, { 'A-01': 5, 'A-02': 8, 'PICK-01': 3, RECV: 50, 'Q-01': 20, 'B-09': 20 });
    const before = await lastMoveId(conn);
    const t0 = Date.now();
    const r = await hold(sku, 10, { reference: 'cart-1' });
    expect(r).toMatchObject({ sku, qty: 10, reference: 'cart-1' });
    expect(r.allocations).toEqual([
      { warehouse: w.warehouse, location: 'PICK-01', qty: 3 },
      { warehouse: w.warehouse, location: 'A-02', qty: 7 },
    ]);
    const ttl = Date.parse(r.expiresAt) - t0;
    // Default TTL 900 s, counted from when the command ran (a loaded machine may start it a little late).
    expect(ttl).toBeGreaterThanOrEqual(900_000);
    expect(ttl).toBeLessThan(910_000);
    expect(await levelsOf(conn, w, sku)).toMatchObject({
      'PICK-01': { onHand: 3, reserved: 3 },
      'A-02': { onHand: 8, reserved: 7 },
      'A-01': { onHand: 5, reserved: 0 },
      RECV: { onHand: 50, reserved: 0 },
    });
    // Applied in lock order (location id): A-02 before PICK-01.
    expect(await movesOf(conn, w, sku, before)).toEqual([
      { kind: 'reservation', location: 'A-02', onHand: 0, reserved: 7, reason: null },
      { kind: 'reservation', location: 'PICK-01', onHand: 0, reserved: 3, reason: null },
    ]);
    const rows = await conn.db.select().from(reservations).where(eq(reservations.holdId, r.id));
    expect(rows.map((x) => [x.qty, x.status, x.reference])).toEqual(expect.arrayContaining([[3, 'active', 'cart-1'], [7, 'active', 'cart-1']]));
    expect(await ledgerMismatches(conn, [w.productIds[sku]])).toEqual([]);
  });

  it('refuses more than the sellable stock, with the available figure, and holds nothing', async () => {
    const sku = w.skus[0];
    const fp = await fingerprint(conn, w);
    // Sellable now: A-01 5 + A-02 1 (receiving, quarantine and the unsellable bin do not count).
    await expect(hold(sku, 7)).rejects.toMatchObject({ type: 'insufficient_stock', details: { sku, requested: 7, available: 6 } });
    expect(await fingerprint(conn, w)).toEqual(fp);
    const r = await hold(sku, 6);
    expect(r.allocations.map((a) => [a.location, a.qty])).toEqual([['A-01', 5], ['A-02', 1]]);
    await expect(hold(sku, 1)).rejects.toMatchObject({ type: 'insufficient_stock', details: { available: 0 } });
  });

  it('restricts to one warehouse when asked', async () => {
    const sku = w.skus[1];
    const w2 = await makeWorld(conn, { products: 1 });
    await stock(conn, w, sku, { 'A-01': 4 });
    await stock(conn, w2, sku, { 'A-02': 2 });
    await expect(hold(sku, 3, { warehouse: w2.warehouse })).rejects.toMatchObject({ type: 'insufficient_stock', details: { available: 2 } });
    const r = await hold(sku, 2, { warehouse: w2.warehouse });
    expect(r.allocations).toEqual([{ warehouse: w2.warehouse, location: 'A-02', qty: 2 }]);
    const any = await hold(sku, 4);
    expect(any.allocations).toEqual([{ warehouse: w.warehouse, location: 'A-01', qty: 4 }]);
  });

  it('refuses unknown SKUs and warehouses, and bad quantities and TTLs, naming the field', async () => {
    await expect(hold('NOPE-404', 1)).rejects.toMatchObject({ type: 'not_found', details: { sku: 'NOPE-404' } });
    await expect(hold(w.skus[1], 1, { warehouse: 'NOWHERE' })).rejects.toMatchObject({ type: 'not_found' });
    for (const [field, extra] of [
      ['qty', { qty: 0 }],
      ['ttlSeconds', { ttlSeconds: 0 }],
      ['ttlSeconds', { ttlSeconds: 7 * 24 * 3600 + 1 }],
      ['ttlSeconds', { ttlSeconds: 1.5 }],
    ] as const) {
      const base = { sku: w.skus[1], qty: 1 };
      await expect(reserve(conn.db, { ...base, ...extra }, opts)).rejects.toMatchObject({
        type: 'validation_failed',
        details: { fields: { [field]: expect.any(Array) } },
      });
    }
  });
});

describe('release', () => {
  it('releases every location of the hold once; releasing again returns the same answer and writes nothing', async () => {
    const sku = w.skus[2];
    await stock(conn, w, sku, { 'PICK-01': 2, 'A-01': 6 });
    const h = await hold(sku, 5);
    const before = await lastMoveId(conn);
    const r = await release(conn.db, { id: h.id }, opts);
    expect(r).toEqual({ id: h.id, sku, qty: 5, status: 'released', reference: null, allocations: expect.any(Array) });
    expect(r.allocations).toHaveLength(2);
    expect(await levelsOf(conn, w, sku)).toEqual({ 'PICK-01': { onHand: 2, reserved: 0 }, 'A-01': { onHand: 6, reserved: 0 } });
    expect((await movesOf(conn, w, sku, before)).map((m) => [m.kind, m.location, m.reserved])).toEqual([
      ['release', 'A-01', -3],
      ['release', 'PICK-01', -2],
    ]);
    const fp = await fingerprint(conn, w);
    expect(await release(conn.db, { id: h.id }, opts)).toEqual(r);
    expect(await fingerprint(conn, w)).toEqual(fp);
  });

  it('refuses unknown and malformed ids, and an order’s allocation', async () => {
    await expect(release(conn.db, { id: '5b0c0a3e-1d7e-4b0a-9c1d-2f5b2e0e9a11' }, opts)).rejects.toMatchObject({ type: 'not_found' });
    await expect(release(conn.db, { id: 'cart-1' }, opts)).rejects.toMatchObject({ type: 'validation_failed' });
    const sku = w.skus[3];
    await stock(conn, w, sku, { 'A-01': 3 });
    const order = await allocateOrder(conn.db, { reference: `R-${w.warehouse}`, lines: [{ sku, qty: 2 }] }, opts);
    const fp = await fingerprint(conn, w);
    await expect(release(conn.db, { id: order.id }, opts)).rejects.toMatchObject({ type: 'invalid_state' });
    expect(await fingerprint(conn, w)).toEqual(fp);
  });
});

describe('sweepExpiredHolds', () => {
  it('releases expired holds through the ledger and leaves live ones alone', async () => {
    const sku = w.skus[4];
    await stock(conn, w, sku, { 'A-01': 10, 'A-02': 10 });
    const short = await hold(sku, 12, { ttlSeconds: 60 });
    const long = await hold(sku, 3, { ttlSeconds: 3600 });
    const before = await lastMoveId(conn);
    // Nothing has expired yet.
    await sweepExpiredHolds(conn.db, { now: new Date() });
    expect(await movesOf(conn, w, sku, before)).toEqual([]);
    const swept = await sweepExpiredHolds(conn.db, { now: new Date(Date.now() + 61_000) });
    // Other test files' short holds may be swept by the same call; ours are two rows of one hold.
    expect(swept.released).toBeGreaterThanOrEqual(2);
    // The short hold took A-01's 10 (tie broken by location id) and 2 from A-02; the long one 3 from A-02.
    expect(await levelsOf(conn, w, sku)).toEqual({ 'A-01': { onHand: 10, reserved: 0 }, 'A-02': { onHand: 10, reserved: 3 } });
    expect((await movesOf(conn, w, sku, before)).map((m) => [m.kind, m.reason, m.reserved])).toEqual([
      ['release', 'expired', -10],
      ['release', 'expired', -2],
    ]);
    const rows = await conn.db.select().from(reservations).where(eq(reservations.holdId, short.id));
    expect(rows.every((x) => x.status === 'expired' && x.closedAt)).toBe(true);
    // Releasing an expired hold answers with its state and writes nothing.
    const fp = await fingerprint(conn, w);
    expect(await release(conn.db, { id: short.id }, opts)).toMatchObject({ status: 'expired', qty: 12 });
    expect(await fingerprint(conn, w)).toEqual(fp);
    expect(await release(conn.db, { id: long.id }, opts)).toMatchObject({ status: 'released', qty: 3 });
    expect(await ledgerMismatches(conn, [w.productIds[sku]])).toEqual([]);
  });

  it('releases at most `limit` rows per call, the rest on the next', async () => {
    const sku = w.skus[5];
    await stock(conn, w, sku, { 'A-01': 10 });
    const holds = [await hold(sku, 1, { ttlSeconds: 120 }), await hold(sku, 1, { ttlSeconds: 120 }), await hold(sku, 1, { ttlSeconds: 120 })];
    const now = new Date(Date.now() + 121_000);
    expect(await sweepExpiredHolds(conn.db, { now, limit: 2 })).toMatchObject({ released: 2, holds: 2, units: 2 });
    await sweepExpiredHolds(conn.db, { now });
    const [{ n }] = (await conn.db.execute(
      sql`SELECT count(*)::int AS n FROM reservations WHERE hold_id IN ${holds.map((h) => h.id)} AND status = 'expired'`,
    )) as unknown as { n: number }[];
    expect(n).toBe(3);
    expect(await levelsOf(conn, w, sku)).toEqual({ 'A-01': { onHand: 10, reserved: 0 } });
  });
});
