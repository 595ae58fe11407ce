import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderLines, orders, reservations } from '@/db/schema';
import { ledgerMismatches, makeWorld, testConnection, uid, type World } from '@/server/testing/fixtures';
import { allocateOrder } from './allocate-order';
import { cancelOrder } from './cancel-order';
import { pick } from './pick';
import { release } from './release';
import { reserve } from './reserve';
import { shipOrder } from './ship-order';
import { fingerprint, lastMoveId, levelsOf, movesOf, opts, stock } from '../test-support';

const conn = testConnection();
let w: World;
beforeAll(async () => {
  w = await makeWorld(conn, { products: 8 });
});
afterAll(() => conn.close());

const ref = () => `SO-${uid()}`;

describe('allocateOrder', () => {
  it('creates the order, sums duplicate lines, and holds every line by the allocation rule', async () => {
    const [a, b] = w.skus;
    await stock(conn, w, a, { 'PICK-01': 2, 'A-01': 3, 'A-02': 9 });
    await stock(conn, w, b, { 'A-01': 4 });
    const before = await lastMoveId(conn);
    const reference = ref();
    const o = await allocateOrder(conn.db, { reference, lines: [{ sku: a, qty: 4 }, { sku: b, qty: 1 }, { sku: a, qty: 3 }] }, opts);
    expect(o).toMatchObject({ reference, channel: 'api', status: 'allocated' });
    expect(o.lines).toEqual([
      {
        lineNo: 1,
        sku: a,
        qty: 7,
        allocations: [
          { warehouse: w.warehouse, location: 'PICK-01', qty: 2 },
          { warehouse: w.warehouse, location: 'A-02', qty: 5 },
        ],
      },
      { lineNo: 2, sku: b, qty: 1, allocations: [{ warehouse: w.warehouse, location: 'A-01', qty: 1 }] },
    ]);
    expect(await levelsOf(conn, w, a)).toEqual({
      'PICK-01': { onHand: 2, reserved: 2 },
      'A-01': { onHand: 3, reserved: 0 },
      'A-02': { onHand: 9, reserved: 5 },
    });
    expect((await movesOf(conn, w, a, before)).map((m) => [m.kind, m.location, m.onHand, m.reserved])).toEqual([
      ['allocation', 'A-02', 0, 5],
      ['allocation', 'PICK-01', 0, 2],
    ]);
    const lines = await conn.db.select().from(orderLines).where(eq(orderLines.orderId, o.id));
    expect(lines.map((l) => [l.lineNo, l.qty]).sort()).toEqual([[1, 7], [2, 1]]);
    const holds = await conn.db.select().from(reservations).where(eq(reservations.holdId, o.id));
    expect(holds).toHaveLength(3);
    expect(holds.every((h) => h.orderLineId && h.expiresAt === null && h.status === 'active')).toBe(true);
  });

  it('is all or nothing: one short line refuses the order with every short line’s figures', async () => {
    const [, , c, d, e] = w.skus;
    await stock(conn, w, c, { 'A-01': 5 });
    await stock(conn, w, d, { 'A-01': 1, 'PICK-01': 1 });
    await stock(conn, w, e, { RECV: 10, SHIP: 3 });
    const fp = await fingerprint(conn, w);
    const reference = ref();
    // Two lines of d, each within stock alone, are checked together (medusajs/medusa#16502).
    await expect(
      allocateOrder(conn.db, { reference, lines: [{ sku: c, qty: 5 }, { sku: d, qty: 2 }, { sku: d, qty: 1 }, { sku: e, qty: 1 }] }, opts),
    ).rejects.toMatchObject({
      type: 'insufficient_stock',
      details: { lines: [{ sku: d, requested: 3, available: 2 }, { sku: e, requested: 1, available: 0 }] },
    });
    expect(await fingerprint(conn, w)).toEqual(fp);
    expect(await conn.db.$count(orders, eq(orders.reference, reference))).toBe(0);
  });

  it('refuses a second order with the same channel and reference, and unknown SKUs', async () => {
    const [, , c] = w.skus;
    const reference = ref();
    const first = await allocateOrder(conn.db, { reference, channel: 'shop', lines: [{ sku: c, qty: 1 }] }, opts);
    const fp = await fingerprint(conn, w);
    await expect(allocateOrder(conn.db, { reference, channel: 'shop', lines: [{ sku: c, qty: 1 }] }, opts)).rejects.toMatchObject({
      type: 'conflict',
      details: { order: first.id },
    });
    expect(await fingerprint(conn, w)).toEqual(fp);
    // Another channel may reuse the reference.
    await allocateOrder(conn.db, { reference, channel: 'pos', lines: [{ sku: c, qty: 1 }] }, opts);
    await expect(allocateOrder(conn.db, { reference: ref(), lines: [{ sku: 'NOPE-9', qty: 1 }] }, opts)).rejects.toMatchObject({
      type: 'not_found',
      details: { skus: ['NOPE-9'] },
    });
  });

  it('validates the lines', async () => {
    for (const lines of [[], Array.from({ length: 501 }, () => ({ sku: w.skus[0], qty: 1 })), [{ sku: w.skus[0], qty: 0 }]]) {
      await expect(allocateOrder(conn.db, { reference: ref(), lines }, opts)).rejects.toMatchObject({ type: 'validation_failed' });
    }
  });
});

describe('an order taking over cart holds', () => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld(conn, { products: 3 });
  });

  it('uses the held units in the same transaction: the last unit held for a cart becomes the order’s', async () => {
    const sku = w.skus[0];
    await stock(conn, w, sku, { 'PICK-01': 3 });
    const cart = await reserve(conn.db, { sku, qty: 3, reference: 'cart-1' }, opts);
    // Nothing is free: without the hold the order would be refused.
    await expect(allocateOrder(conn.db, { reference: ref(), lines: [{ sku, qty: 3 }] }, opts)).rejects.toMatchObject({ type: 'insufficient_stock' });
    const before = await lastMoveId(conn);
    const o = await allocateOrder(conn.db, { reference: ref(), lines: [{ sku, qty: 3 }], holds: [cart.id] }, opts);
    expect(o.lines[0].allocations).toEqual([{ warehouse: w.warehouse, location: 'PICK-01', qty: 3 }]);
    expect(await levelsOf(conn, w, sku)).toEqual({ 'PICK-01': { onHand: 3, reserved: 3 } });
    expect(await movesOf(conn, w, sku, before)).toEqual([
      { kind: 'release', location: 'PICK-01', onHand: 0, reserved: -3, reason: 'converted_to_order' },
      { kind: 'allocation', location: 'PICK-01', onHand: 0, reserved: 3, reason: null },
    ]);
    const [hold] = await conn.db.select().from(reservations).where(eq(reservations.holdId, cart.id));
    expect(hold).toMatchObject({ status: 'consumed', closedAt: expect.any(Date) });
    // Consumed: releasing the cart now changes nothing, and the hold cannot serve a second order.
    expect((await release(conn.db, { id: cart.id }, opts)).status).toBe('expired');
    expect(await levelsOf(conn, w, sku)).toEqual({ 'PICK-01': { onHand: 3, reserved: 3 } });
    await expect(allocateOrder(conn.db, { reference: ref(), lines: [{ sku, qty: 1 }], holds: [cart.id] }, opts)).rejects.toMatchObject({
      type: 'insufficient_stock',
    });
    expect(await ledgerMismatches(conn, [w.productIds[sku]])).toEqual([]);
  });

  it('adds free stock to what the holds cover, and refuses holds it cannot take over, writing nothing', async () => {
    const [sku, other] = [w.skus[1], w.skus[2]];
    await stock(conn, w, sku, { 'A-01': 5 });
    await stock(conn, w, other, { 'A-01': 5 });
    const cart = await reserve(conn.db, { sku, qty: 2 }, opts);
    const o = await allocateOrder(conn.db, { reference: ref(), lines: [{ sku, qty: 4 }], holds: [cart.id] }, opts);
    expect(o.lines[0].qty).toBe(4);
    expect(await levelsOf(conn, w, sku)).toEqual({ 'A-01': { onHand: 5, reserved: 4 } });

    const elsewhere = await reserve(conn.db, { sku: other, qty: 1 }, opts);
    const fp = await fingerprint(conn, w);
    await expect(allocateOrder(conn.db, { reference: ref(), lines: [{ sku, qty: 1 }], holds: [elsewhere.id] }, opts)).rejects.toMatchObject({
      type: 'validation_failed',
      details: { fields: { holds: [`${elsewhere.id} holds ${other}, which no line orders`] } },
    });
    const missing = '00000000-0000-4000-8000-000000000000';
    await expect(allocateOrder(conn.db, { reference: ref(), lines: [{ sku, qty: 1 }], holds: [missing] }, opts)).rejects.toMatchObject({ type: 'not_found' });
    await expect(allocateOrder(conn.db, { reference: ref(), lines: [{ sku, qty: 1 }], holds: [o.id] }, opts)).rejects.toMatchObject({ type: 'invalid_state' });
    expect(await fingerprint(conn, w)).toEqual(fp);
  });
});

describe('an order shipping from one warehouse', () => {
  let main: World;
  let east: World;
  beforeAll(async () => {
    main = await makeWorld(conn, { products: 2 });
    east = await makeWorld(conn, { products: 1 });
  });

  it('allocates only in that warehouse, is short by what it has there, and refuses an unknown warehouse', async () => {
    const sku = main.skus[0];
    await stock(conn, main, sku, { 'PICK-01': 10 });
    await stock(conn, east, sku, { 'A-01': 3, 'A-02': 2 });
    const inEast = { ...east, productIds: main.productIds };
    const o = await allocateOrder(conn.db, { reference: ref(), warehouse: east.warehouse, lines: [{ sku, qty: 4 }] }, opts);
    expect(o.lines[0].allocations).toEqual([
      { warehouse: east.warehouse, location: 'A-01', qty: 3 },
      { warehouse: east.warehouse, location: 'A-02', qty: 1 },
    ]);
    expect(await levelsOf(conn, main, sku)).toEqual({ 'PICK-01': { onHand: 10, reserved: 0 } });
    expect(await levelsOf(conn, inEast, sku)).toEqual({ 'A-01': { onHand: 3, reserved: 3 }, 'A-02': { onHand: 2, reserved: 1 } });

    // One unit is left in EAST; MAIN's ten do not count for an order that ships from EAST.
    const fp = await fingerprint(conn, main);
    await expect(allocateOrder(conn.db, { reference: ref(), warehouse: east.warehouse, lines: [{ sku, qty: 2 }] }, opts)).rejects.toMatchObject({
      type: 'insufficient_stock',
      message: expect.stringContaining(`in warehouse ${east.warehouse}`),
      details: { warehouse: east.warehouse, lines: [{ sku, requested: 2, available: 1 }] },
    });
    await expect(allocateOrder(conn.db, { reference: ref(), warehouse: 'NOPE', lines: [{ sku, qty: 1 }] }, opts)).rejects.toMatchObject({ type: 'not_found' });
    expect(await fingerprint(conn, main)).toEqual(fp);
    // Without a warehouse the same order is filled from MAIN's pick bin, by the rule.
    const any = await allocateOrder(conn.db, { reference: ref(), lines: [{ sku, qty: 2 }] }, opts);
    expect(any.lines[0].allocations).toEqual([{ warehouse: main.warehouse, location: 'PICK-01', qty: 2 }]);
    expect(await ledgerMismatches(conn, [main.productIds[sku]])).toEqual([]);
  });

  it('refuses a cart hold held in another warehouse, writing nothing', async () => {
    const sku = main.skus[1];
    await stock(conn, main, sku, { 'A-01': 2 });
    await stock(conn, east, sku, { 'A-01': 2 });
    const cart = await reserve(conn.db, { sku, qty: 1, warehouse: main.warehouse }, opts);
    const fp = await fingerprint(conn, main);
    await expect(allocateOrder(conn.db, { reference: ref(), warehouse: east.warehouse, lines: [{ sku, qty: 1 }], holds: [cart.id] }, opts)).rejects.toMatchObject({
      type: 'validation_failed',
      details: { fields: { holds: [`${cart.id} is held in ${main.warehouse}, not in ${east.warehouse}`] } },
    });
    expect(await fingerprint(conn, main)).toEqual(fp);
    // Shipping from MAIN, the same hold is taken over.
    const o = await allocateOrder(conn.db, { reference: ref(), warehouse: main.warehouse, lines: [{ sku, qty: 1 }], holds: [cart.id] }, opts);
    expect(o.lines[0].allocations).toEqual([{ warehouse: main.warehouse, location: 'A-01', qty: 1 }]);
  });
});

describe('cancelOrder', () => {
  it('releases what the order holds; a second cancel answers the same and writes nothing', async () => {
    const sku = w.skus[5];
    await stock(conn, w, sku, { 'PICK-01': 1, 'A-01': 4 });
    const o = await allocateOrder(conn.db, { reference: ref(), lines: [{ sku, qty: 3 }] }, opts);
    const before = await lastMoveId(conn);
    const c = await cancelOrder(conn.db, { id: o.id }, opts);
    expect(c).toEqual({
      id: o.id,
      reference: o.reference,
      channel: 'api',
      status: 'cancelled',
      released: [
        { lineNo: 1, sku, warehouse: w.warehouse, location: 'A-01', qty: 2, staged: false },
        { lineNo: 1, sku, warehouse: w.warehouse, location: 'PICK-01', qty: 1, staged: false },
      ],
    });
    expect(await levelsOf(conn, w, sku)).toEqual({ 'PICK-01': { onHand: 1, reserved: 0 }, 'A-01': { onHand: 4, reserved: 0 } });
    expect((await movesOf(conn, w, sku, before)).map((m) => [m.kind, m.reserved])).toEqual([
      ['deallocation', -2],
      ['deallocation', -1],
    ]);
    const fp = await fingerprint(conn, w);
    expect(await cancelOrder(conn.db, { reference: o.reference }, opts)).toEqual(c);
    expect(await fingerprint(conn, w)).toEqual(fp);
  });

  it('releases picked units staged in the shipping location, and refuses a shipped order', async () => {
    const sku = w.skus[6];
    await stock(conn, w, sku, { 'A-01': 5 });
    const o = await allocateOrder(conn.db, { reference: ref(), lines: [{ sku, qty: 3 }] }, opts);
    await pick(conn.db, { orderId: o.id, sku, warehouse: w.warehouse, location: 'A-01', qty: 2 }, opts);
    const c = await cancelOrder(conn.db, { id: o.id }, opts);
    expect(c.released).toEqual([
      { lineNo: 1, sku, warehouse: w.warehouse, location: 'A-01', qty: 1, staged: false },
      { lineNo: 1, sku, warehouse: w.warehouse, location: 'SHIP', qty: 2, staged: true },
    ]);
    // The picked units wait in SHIP, no longer held, to be put away.
    expect(await levelsOf(conn, w, sku)).toEqual({ 'A-01': { onHand: 3, reserved: 0 }, SHIP: { onHand: 2, reserved: 0 } });

    const s = await allocateOrder(conn.db, { reference: ref(), lines: [{ sku, qty: 1 }] }, opts);
    await pick(conn.db, { orderId: s.id, sku, warehouse: w.warehouse, location: 'A-01', qty: 1 }, opts);
    await shipOrder(conn.db, { orderId: s.id }, opts);
    const fp = await fingerprint(conn, w);
    await expect(cancelOrder(conn.db, { id: s.id }, opts)).rejects.toMatchObject({ type: 'invalid_state', details: { status: 'shipped' } });
    expect(await fingerprint(conn, w)).toEqual(fp);
    expect(await ledgerMismatches(conn, [w.productIds[sku]])).toEqual([]);
  });

  it('refuses unknown orders and ambiguous input', async () => {
    await expect(cancelOrder(conn.db, { id: '5b0c0a3e-1d7e-4b0a-9c1d-2f5b2e0e9a11' }, opts)).rejects.toMatchObject({ type: 'not_found' });
    await expect(cancelOrder(conn.db, { reference: 'NO-SUCH-ORDER' }, opts)).rejects.toMatchObject({ type: 'not_found' });
    await expect(cancelOrder(conn.db, {}, opts)).rejects.toMatchObject({ type: 'validation_failed', details: { fields: { id: expect.any(Array) } } });
    await expect(cancelOrder(conn.db, { id: '5b0c0a3e-1d7e-4b0a-9c1d-2f5b2e0e9a11', reference: 'X' }, opts)).rejects.toMatchObject({
      type: 'validation_failed',
    });
  });
});
