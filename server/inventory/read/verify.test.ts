import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, testConnection, uid, type World } from '@/server/testing/fixtures';
import { allocateOrder } from '../commands/allocate-order';
import { cancelOrder } from '../commands/cancel-order';
import { pick } from '../commands/pick';
import { reserve } from '../commands/reserve';
import { shipOrder } from '../commands/ship-order';
import { saveLocation } from '../commands/locations';
import { shortPick } from '../commands/short-pick';
import { opts, scratchDatabase, stock } from '../test-support';
import { ledgerGuards, verifyInventory } from './verify';

const conn = testConnection();
afterAll(() => conn.close());

// Every kind of hold in one world: a cart hold, an allocated order, a picked-not-shipped one, a short one, a
// cancelled one with staged units, a shipped one.
async function busyWorld(c = conn): Promise<World> {
  const w = await makeWorld(c, { products: 2 });
  const [a, b] = w.skus;
  const at = (location: string) => ({ warehouse: w.warehouse, location });
  await stock(c, w, a, { 'PICK-01': 4, 'A-01': 10, RECV: 3 });
  await stock(c, w, b, { 'A-02': 6 });
  const o1 = await allocateOrder(c.db, { reference: `V-${uid()}`, lines: [{ sku: a, qty: 5 }, { sku: b, qty: 2 }] }, opts);
  await reserve(c.db, { sku: a, qty: 2 }, opts);
  await pick(c.db, { orderId: o1.id, sku: a, ...at('PICK-01'), qty: 3 }, opts);
  await shortPick(c.db, { orderId: o1.id, sku: a, ...at('PICK-01'), qty: 1, reason: 'not_found' }, opts);
  const o2 = await allocateOrder(c.db, { reference: `V-${uid()}`, lines: [{ sku: b, qty: 2 }] }, opts);
  await pick(c.db, { orderId: o2.id, sku: b, ...at('A-02'), qty: 1 }, opts);
  await cancelOrder(c.db, { id: o2.id }, opts);
  const o3 = await allocateOrder(c.db, { reference: `V-${uid()}`, lines: [{ sku: b, qty: 1 }] }, opts);
  await pick(c.db, { orderId: o3.id, sku: b, ...at('A-02'), qty: 1 }, opts);
  await shipOrder(c.db, { orderId: o3.id }, opts);
  return w;
}

const scope = (w: World) => ({ productIds: Object.values(w.productIds) });

describe('verifyInventory', () => {
  it('finds nothing wrong after every kind of command', async () => {
    const w = await busyWorld();
    const report = await verifyInventory(conn.db, scope(w));
    expect(report.checks.filter((c) => c.issues.length)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.counts).toMatchObject({ orders: 3 });
    expect(report.counts.activeReservations).toBeGreaterThanOrEqual(4);
  });

  it('reports a ledger row that did not change its level, a reservation without its reserved units, and a line whose holds drifted', async () => {
    const w = await busyWorld();
    const [a, b] = w.skus;
    const pid = w.productIds[a];
    const loc = w.bins['A-01'].id;
    await conn.db.execute(sql`
      INSERT INTO stock_movements (product_id, location_id, kind, on_hand_delta, reserved_delta, on_hand_after, reserved_after, version, actor, command_id)
      VALUES (${pid}, ${loc}, 'adjustment', 5, 0, 0, 0, 0, 'test:drift', ${randomUUID()})`);
    await conn.db.execute(sql`
      INSERT INTO reservations (product_id, location_id, qty, hold_id, created_by) VALUES (${w.productIds[b]}, ${w.bins['A-01'].id}, 1, ${randomUUID()}, 'test')`);
    await conn.db.execute(sql`UPDATE order_lines SET picked_qty = picked_qty + 1 WHERE product_id = ${pid} AND picked_qty > 0`);
    const report = await verifyInventory(conn.db, scope(w));
    expect(report.ok).toBe(false);
    const issues = Object.fromEntries(report.checks.map((c) => [c.name, c.issues]));
    expect(issues.ledger).toEqual([{ sku: a, warehouse: w.warehouse, location: 'A-01', on_hand: 10, ledger_on_hand: 15, reserved: expect.any(Number), ledger_reserved: expect.any(Number) }]);
    expect(issues.reservations).toEqual([{ sku: b, warehouse: w.warehouse, location: 'A-01', reserved: 0, held_by_reservations: 1 }]);
    expect(issues.orders).toEqual([expect.objectContaining({ sku: a, picked_qty: 4, staged_held: 3 })]);
    expect(issues.levels).toEqual([]);
    expect(issues.guards).toEqual([]);
  });

  it('keeps the totals with the levels when a bin holding stock stops and starts being sellable', async () => {
    const w = await busyWorld();
    const [a] = w.skus;
    const kept = async () => {
      const [r] = (await conn.db.execute(sql`SELECT available FROM product_stock WHERE product_id = ${w.productIds[a]}`)) as unknown as { available: number }[];
      return r.available;
    };
    const before = await kept();
    const [bin] = (await conn.db.execute(sql`
      SELECT on_hand - reserved AS available FROM stock_levels WHERE product_id = ${w.productIds[a]} AND location_id = ${w.bins['A-01'].id}`)) as unknown as {
      available: number;
    }[];
    expect(bin.available).toBeGreaterThan(0);
    await saveLocation(conn.db, { warehouse: w.warehouse, code: 'A-01', sellable: false }, opts);
    // The bin's available units leave the product's available with the flag, and come back with it.
    expect(await kept()).toBe(before - bin.available);
    expect((await verifyInventory(conn.db, scope(w))).checks.filter((c) => c.issues.length)).toEqual([]);
    await saveLocation(conn.db, { warehouse: w.warehouse, code: 'A-01', sellable: true }, opts);
    expect(await kept()).toBe(before);
    expect((await verifyInventory(conn.db, scope(w))).checks.filter((c) => c.issues.length)).toEqual([]);
  });

  it('reports per-product totals and a pick history that no longer match the levels and the ledger', async () => {
    const w = await busyWorld();
    const [a, b] = w.skus;
    // The triggers keep both in the changing statement; written to directly, they drift, and verify says where.
    await conn.db.execute(sql`UPDATE product_stock SET available = available + 2 WHERE product_id = ${w.productIds[a]}`);
    await conn.db.execute(sql`UPDATE pick_history SET cum = array_append(cum, cum[cardinality(cum)] + 1) WHERE product_id = ${w.productIds[b]}`);
    const report = await verifyInventory(conn.db, scope(w));
    expect(report.ok).toBe(false);
    const issues = Object.fromEntries(report.checks.map((c) => [c.name, c.issues]));
    expect(issues.totals).toEqual([{ sku: a, kept_on_hand: 16, on_hand: 16, kept_reserved: 7, reserved: 7, kept_available: 8, available: 6 }]);
    expect(issues.picks).toEqual([expect.objectContaining({ sku: b, warehouse: w.warehouse, kept_picked: 3, picked: 2 })]);
    expect(issues.ledger).toEqual([]);
  });
});

describe('npm run verify', () => {
  // A database with nothing else in it, so the CLI's unscoped checks see only this test's data.
  let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
  beforeAll(async () => {
    scratch = await scratchDatabase();
  });
  afterAll(() => scratch.drop());

  const run = () =>
    promisify(execFile)('node_modules/.bin/tsx', ['server/cli/verify.ts'], { env: { ...process.env, DATABASE_URL: scratch.url } }).then(
      (r) => ({ code: 0, out: r.stdout }),
      (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
    );

  it('prints one OK line on a consistent database, and a table of mismatches with exit 1 on drift', async () => {
    const w = await busyWorld(scratch.conn);
    const ok = await run();
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/^verify OK: \d+ levels, \d+ ledger rows, 4 active holds, 3 orders/);
    await scratch.conn.db.execute(
      sql`UPDATE order_lines SET short_qty = short_qty + 1 WHERE product_id = ${w.productIds[w.skus[1]]} AND qty > picked_qty + short_qty`,
    );
    const bad = await run();
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('✗ orders');
    expect(bad.out).toMatch(new RegExp(`${w.skus[1]}\\s+2\\s+0\\s+1\\s+0\\s+2`));
    expect(bad.out).toContain('verify FAILED: orders');
  });

  it('reports a disabled ledger trigger', async () => {
    expect(await ledgerGuards(scratch.conn.db)).toEqual([]);
    await scratch.conn.db.execute(sql`ALTER TABLE stock_movements DISABLE TRIGGER stock_movements_no_update_delete`);
    expect(await ledgerGuards(scratch.conn.db)).toEqual([
      { guard: 'UPDATE on stock_movements', problem: 'missing or disabled' },
      { guard: 'DELETE on stock_movements', problem: 'missing or disabled' },
    ]);
    const bad = await run();
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/✗ guards.*\n[\s\S]*UPDATE on stock_movements\s+missing or disabled/);
    await scratch.conn.db.execute(sql`ALTER TABLE stock_movements ENABLE TRIGGER stock_movements_no_update_delete`);
    expect(await ledgerGuards(scratch.conn.db)).toEqual([]);
  });
});
