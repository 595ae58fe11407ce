import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reservations } from '@/db/schema';
import { ledgerMismatches, makeWorld, testConnection, uid, type World } from '@/server/testing/fixtures';
import { allocateOrder } from './allocate-order';
import { cancelOrder } from './cancel-order';
import { pick } from './pick';
import { shipOrder } from './ship-order';
import { shortPick } from './short-pick';
import { fingerprint, lastMoveId, levelsOf, movesOf, opts, stock } from '../test-support';

const conn = testConnection();
let w: World;
beforeAll(async () => {
  w = await makeWorld(conn, { products: 10 });
});
afterAll(() => conn.close());

const order = (sku: string, qty: number) => allocateOrder(conn.db, { reference: `SO-${uid()}`, lines: [{ sku, qty }] }, opts);
const at = (location: string) => ({ warehouse: w.warehouse, location });

describe('pick and shipOrder', () => {
  it('moves picked units to the shipping location still reserved, then ships them', async () => {
    const sku = w.skus[0];
    await stock(conn, w, sku, { 'PICK-01': 2, 'A-01': 5 });
    const o = await order(sku, 4);
    const before = await lastMoveId(conn);
    const p1 = await pick(conn.db, { orderId: o.id, sku, ...at('PICK-01'), qty: 2 }, opts);
    expect(p1).toMatchObject({
      status: 'picking',
      qty: 2,
      from: { location: 'PICK-01', onHand: 0, available: 0 },
      to: { location: 'SHIP' },
      line: { lineNo: 1, qty: 4, pickedQty: 2, shortQty: 0, remaining: 2 },
    });
    expect(await levelsOf(conn, w, sku)).toEqual({ 'A-01': { onHand: 5, reserved: 2 }, SHIP: { onHand: 2, reserved: 2 } });
    const p2 = await pick(conn.db, { reference: o.reference, sku, ...at('A-01'), qty: 2 }, opts);
    expect(p2).toMatchObject({ status: 'picked', line: { pickedQty: 4, remaining: 0 }, from: { onHand: 3, available: 3 } });
    const holds = await conn.db.select().from(reservations).where(eq(reservations.holdId, o.id));
    expect(holds.map((h) => [h.status, h.qty]).sort()).toEqual([['active', 4], ['consumed', 0], ['consumed', 0]]);

    const s = await shipOrder(conn.db, { orderId: o.id }, opts);
    expect(s).toMatchObject({
      status: 'shipped',
      lines: [{ lineNo: 1, sku, qty: 4, shippedQty: 4, shortQty: 0 }],
      shipments: [{ sku, location: 'SHIP', qty: 4 }],
    });
    expect(await levelsOf(conn, w, sku)).toEqual({ 'A-01': { onHand: 3, reserved: 0 } });
    expect((await movesOf(conn, w, sku, before)).map((m) => [m.kind, m.location, m.onHand, m.reserved])).toEqual([
      ['pick', 'PICK-01', -2, -2],
      ['staged', 'SHIP', 2, 2],
      ['pick', 'A-01', -2, -2],
      ['staged', 'SHIP', 2, 2],
      ['ship', 'SHIP', -4, -4],
    ]);
    expect(await ledgerMismatches(conn, [w.productIds[sku]])).toEqual([]);
  });

  it('refuses picking more than the line holds at that bin, with the figure, and writes nothing', async () => {
    const sku = w.skus[1];
    await stock(conn, w, sku, { 'PICK-01': 2, 'A-01': 5 });
    const o = await order(sku, 3);
    const fp = await fingerprint(conn, w);
    await expect(pick(conn.db, { orderId: o.id, sku, ...at('PICK-01'), qty: 3 }, opts)).rejects.toMatchObject({
      type: 'insufficient_stock',
      details: { available: 2, requested: 3, location: 'PICK-01' },
    });
    // A-02 holds nothing for this order, though it could have stock.
    await expect(pick(conn.db, { orderId: o.id, sku, ...at('A-02'), qty: 1 }, opts)).rejects.toMatchObject({
      type: 'insufficient_stock',
      details: { available: 0, heldAt: expect.arrayContaining([{ warehouse: w.warehouse, location: 'A-01', qty: 1 }]) },
    });
    await expect(pick(conn.db, { orderId: o.id, sku: w.skus[2], ...at('A-01'), qty: 1 }, opts)).rejects.toMatchObject({ type: 'invalid_state' });
    await expect(shipOrder(conn.db, { orderId: o.id }, opts)).rejects.toMatchObject({ type: 'invalid_state', details: { status: 'allocated' } });
    await expect(pick(conn.db, { sku, ...at('A-01'), qty: 1 }, opts)).rejects.toMatchObject({ type: 'validation_failed' });
    expect(await fingerprint(conn, w)).toEqual(fp);
    await cancelOrder(conn.db, { id: o.id }, opts);
    await expect(pick(conn.db, { orderId: o.id, sku, ...at('PICK-01'), qty: 1 }, opts)).rejects.toMatchObject({
      type: 'invalid_state',
      details: { status: 'cancelled' },
    });
  });
});

describe('shortPick', () => {
  it('writes the missing units off the bin and re-holds them in another bin', async () => {
    const sku = w.skus[3];
    await stock(conn, w, sku, { 'PICK-01': 3, 'A-01': 5 });
    const o = await order(sku, 3);
    const before = await lastMoveId(conn);
    const r = await shortPick(conn.db, { orderId: o.id, sku, ...at('PICK-01'), qty: 2, reason: 'not_found' }, opts);
    expect(r).toMatchObject({
      outcome: 'reallocated',
      reallocated: [{ warehouse: w.warehouse, location: 'A-01', qty: 2 }],
      shortQty: 0,
      status: 'picking',
      writtenOff: { location: 'PICK-01', qty: 2, onHand: 1, available: 0 },
      line: { pickedQty: 0, shortQty: 0, remaining: 3 },
    });
    expect(await movesOf(conn, w, sku, before)).toEqual([
      { kind: 'allocation', location: 'A-01', onHand: 0, reserved: 2, reason: 'short_pick' },
      { kind: 'adjustment', location: 'PICK-01', onHand: -2, reserved: -2, reason: 'lost' },
    ]);
    expect(await levelsOf(conn, w, sku)).toEqual({ 'PICK-01': { onHand: 1, reserved: 1 }, 'A-01': { onHand: 5, reserved: 2 } });
    await pick(conn.db, { orderId: o.id, sku, ...at('PICK-01'), qty: 1 }, opts);
    expect(await pick(conn.db, { orderId: o.id, sku, ...at('A-01'), qty: 2 }, opts)).toMatchObject({ status: 'picked' });
    expect(await ledgerMismatches(conn, [w.productIds[sku]])).toEqual([]);
  });

  it('leaves the line short when no other bin of the warehouse has stock, and ships what was picked', async () => {
    const sku = w.skus[4];
    const elsewhere = await makeWorld(conn, { products: 1 });
    await stock(conn, w, sku, { 'PICK-01': 3, RECV: 10 });
    await stock(conn, elsewhere, sku, { 'A-01': 10 });
    const o = await order(sku, 3);
    expect(o.lines[0].allocations).toEqual([{ warehouse: w.warehouse, location: 'PICK-01', qty: 3 }]);
    await pick(conn.db, { orderId: o.id, sku, ...at('PICK-01'), qty: 1 }, opts);
    const r = await shortPick(conn.db, { orderId: o.id, sku, ...at('PICK-01'), qty: 2, reason: 'damaged', note: 'crushed' }, opts);
    expect(r).toMatchObject({ outcome: 'short', reallocated: [], shortQty: 2, status: 'picked', line: { pickedQty: 1, shortQty: 2, remaining: 0 } });
    expect(await levelsOf(conn, w, sku)).toEqual({ SHIP: { onHand: 1, reserved: 1 }, RECV: { onHand: 10, reserved: 0 } });
    const s = await shipOrder(conn.db, { orderId: o.id }, opts);
    expect(s.lines).toEqual([{ lineNo: 1, sku, qty: 3, shippedQty: 1, shortQty: 2 }]);
    expect(await levelsOf(conn, w, sku)).toEqual({ RECV: { onHand: 10, reserved: 0 } });
  });

  it('re-holds what it can and leaves the rest short', async () => {
    const sku = w.skus[5];
    await stock(conn, w, sku, { 'PICK-01': 3, 'A-02': 1 });
    const o = await order(sku, 3);
    const r = await shortPick(conn.db, { orderId: o.id, sku, ...at('PICK-01'), qty: 3, reason: 'other' }, opts);
    expect(r).toMatchObject({ outcome: 'partly_reallocated', reallocated: [{ location: 'A-02', qty: 1 }], shortQty: 2, status: 'picking' });
    expect(r.line).toMatchObject({ shortQty: 2, remaining: 1 });
    expect(await levelsOf(conn, w, sku)).toEqual({ 'A-02': { onHand: 1, reserved: 1 } });
  });

  it('refuses more missing units than the line holds there, and an unknown reason', async () => {
    const sku = w.skus[6];
    await stock(conn, w, sku, { 'A-01': 4 });
    const o = await order(sku, 2);
    const fp = await fingerprint(conn, w);
    await expect(shortPick(conn.db, { orderId: o.id, sku, ...at('A-01'), qty: 3, reason: 'not_found' }, opts)).rejects.toMatchObject({
      type: 'insufficient_stock',
      details: { available: 2 },
    });
    await expect(shortPick(conn.db, { orderId: o.id, sku, ...at('A-01'), qty: 1, reason: 'stolen' as 'other' }, opts)).rejects.toMatchObject({
      type: 'validation_failed',
      details: { fields: { reason: expect.any(Array) } },
    });
    expect(await fingerprint(conn, w)).toEqual(fp);
  });
});
