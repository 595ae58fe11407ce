// Holds and orders placed for a storefront channel take stock only from the channel's warehouses and never its
// last `buffer` units, under concurrency; the badge's figure (the app's database answer) keeps back the same units.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locations, reservations, stockLevels } from '@/db/schema';
import { loadChannels } from '@/server/storefront/channels';
import { makeChannel } from '@/server/realtime/test-support';
import { makeWorld, testConnection, uid, type World } from '@/server/testing/fixtures';
import { allocateOrder } from './commands/allocate-order';
import { receive } from './commands/receive';
import { reserve } from './commands/reserve';
import { createReserveCoalescer } from './commands/reserve-coalesced';
import { InventoryError } from './kernel/errors';
import { availabilityOf } from './read/availability';
import { verifyInventory } from './read/verify';
import { opts } from './test-support';

const conn = testConnection(25);
let a: World;
let b: World;
let sku: string;
let productId: number;
beforeAll(async () => {
  a = await makeWorld(conn, { products: 1 });
  b = await makeWorld(conn, { products: 1 });
  sku = a.skus[0];
  productId = a.productIds[sku];
  await receive(conn.db, { sku, warehouse: a.warehouse, location: 'PICK-01', qty: 10 }, opts);
  await receive(conn.db, { sku, warehouse: a.warehouse, location: 'A-01', qty: 10 }, opts);
  await receive(conn.db, { sku, warehouse: b.warehouse, location: 'A-01', qty: 50 }, opts);
});
afterAll(() => conn.close());

const reservedIn = async (warehouseId: number) => {
  const [r] = await conn.db
    .select({ n: sql<number>`coalesce(sum(${stockLevels.reserved}), 0)::int` })
    .from(stockLevels)
    .innerJoin(locations, eq(locations.id, stockLevels.locationId))
    .where(and(eq(stockLevels.productId, productId), eq(locations.warehouseId, warehouseId)));
  return r.n;
};
const channelOf = async (key: string) => (await loadChannels(conn.db)).find((c) => c.key === key)!;

describe('a channel limits writes', () => {
  it('many concurrent holds and orders for channel A take stock only in A and never its buffer', async () => {
    const key = await makeChannel(conn, { warehouseIds: [a.warehouseId], buffer: 3 });
    // The badge: 20 in A, 3 kept back.
    expect((await availabilityOf(conn.db, [sku], await channelOf(key))).items[0]).toMatchObject({ available: 17 });

    const requests = Array.from({ length: 40 }, (_, n) => {
      const qty = 1 + (n % 2);
      const run =
        n % 4 === 3
          ? allocateOrder(conn.db, { reference: `SO-${uid()}`, channel: key, lines: [{ sku, qty }] }, opts)
          : reserve(conn.db, { sku, qty, channel: key }, opts);
      return run.then(
        (r) => ({ ok: true as const, qty, warehouses: 'allocations' in r ? r.allocations.map((x) => x.warehouse) : r.lines.flatMap((l) => l.allocations.map((x) => x.warehouse)) }),
        (e: unknown) => {
          if (e instanceof InventoryError && e.type === 'insufficient_stock') return { ok: false as const, qty, warehouses: [] as string[] };
          throw e;
        },
      );
    });
    const results = await Promise.all(requests);
    const held = results.filter((r) => r.ok).reduce((s, r) => s + r.qty, 0);
    // Everything but the buffer was sold (40 requests ask for 60), and not one unit more.
    expect(held).toBe(17);
    expect(new Set(results.flatMap((r) => r.warehouses))).toEqual(new Set([a.warehouse]));
    expect(await reservedIn(a.warehouseId)).toBe(17);
    expect(await reservedIn(b.warehouseId)).toBe(0);
    expect((await availabilityOf(conn.db, [sku], await channelOf(key))).items[0]).toMatchObject({ available: 0, status: 'out_of_stock' });

    // The refusal names what the channel may still take.
    await expect(reserve(conn.db, { sku, qty: 1, channel: key }, opts)).rejects.toMatchObject({
      type: 'insufficient_stock',
      details: { available: 0 },
      message: expect.stringContaining(`for channel ${key}`),
    });
    // The buffer is the channel's alone: a hold that names no channel may still take the 3 kept back in A.
    const free = await reserve(conn.db, { sku, qty: 53 }, opts);
    expect(free.allocations.reduce((s, x) => s + x.qty, 0)).toBe(53);

    const report = await verifyInventory(conn.db, { productIds: [productId] });
    expect(report.checks.filter((c) => c.issues.length)).toEqual([]);
    const active = await conn.db
      .select({ n: sql<number>`count(*)::int` })
      .from(reservations)
      .where(and(eq(reservations.productId, productId), inArray(reservations.status, ['active'])));
    expect(active[0].n).toBeGreaterThan(0);
  });

  it('refuses an unknown channel on a hold, and a warehouse outside the channel, changing nothing', async () => {
    const w = await makeWorld(conn, { products: 1 });
    await receive(conn.db, { sku: w.skus[0], warehouse: w.warehouse, location: 'A-01', qty: 5 }, opts);
    const key = await makeChannel(conn, { warehouseIds: [a.warehouseId] });
    await expect(reserve(conn.db, { sku: w.skus[0], qty: 1, channel: 'no-such-channel' }, opts)).rejects.toMatchObject({
      type: 'not_found',
      details: { fields: { channel: ['no such channel'] } },
    });
    await expect(reserve(conn.db, { sku: w.skus[0], qty: 1, channel: key, warehouse: w.warehouse }, opts)).rejects.toMatchObject({
      type: 'validation_failed',
      details: { fields: { warehouse: [`not a warehouse of channel ${key}`] } },
    });
    // A channel with no stock of its own for this product: nothing to hold, though warehouse W has 5.
    await expect(reserve(conn.db, { sku: w.skus[0], qty: 1, channel: key }, opts)).rejects.toMatchObject({ type: 'insufficient_stock', details: { available: 0 } });
    expect(await reservedIn(w.warehouseId)).toBe(0);
  });

  it('an order taking over a cart hold of its channel counts the held units outside the buffer', async () => {
    const w = await makeWorld(conn, { products: 1 });
    const s = w.skus[0];
    await receive(conn.db, { sku: s, warehouse: w.warehouse, location: 'A-01', qty: 6 }, opts);
    const key = await makeChannel(conn, { warehouseIds: [w.warehouseId], buffer: 2 });
    const hold = await reserve(conn.db, { sku: s, qty: 4, channel: key }, opts);
    await expect(reserve(conn.db, { sku: s, qty: 1, channel: key }, opts)).rejects.toMatchObject({ type: 'insufficient_stock' });
    const order = await allocateOrder(conn.db, { reference: `SO-${uid()}`, channel: key, lines: [{ sku: s, qty: 4 }], holds: [hold.id] }, opts);
    expect(order.lines[0].allocations).toEqual([{ warehouse: w.warehouse, location: 'A-01', qty: 4 }]);
  });

  it('coalesced flash-sale holds for a channel keep to its warehouses and its buffer too', async () => {
    const w = await makeWorld(conn, { products: 1 });
    const elsewhere = await makeWorld(conn, { products: 1 });
    const s = w.skus[0];
    await receive(conn.db, { sku: s, warehouse: w.warehouse, location: 'A-01', qty: 5 }, opts);
    await receive(conn.db, { sku: s, warehouse: elsewhere.warehouse, location: 'A-01', qty: 10 }, opts);
    const key = await makeChannel(conn, { warehouseIds: [w.warehouseId], buffer: 2 });
    const coalescer = createReserveCoalescer(conn.db);
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => coalescer.reserve({ sku: s, qty: 1, channel: key }, opts)));
    const granted = results.filter((r) => r.status === 'fulfilled').map((r) => r.value);
    expect(granted).toHaveLength(3);
    expect(new Set(granted.flatMap((g) => g.allocations.map((a) => a.warehouse)))).toEqual(new Set([w.warehouse]));
    expect(results.filter((r) => r.status === 'rejected').every((r) => (r.reason as InventoryError).type === 'insufficient_stock')).toBe(true);
    expect(await reservedIn(elsewhere.warehouseId)).toBe(0);
    const report = await verifyInventory(conn.db, { productIds: [w.productIds[s]] });
    expect(report.checks.filter((c) => c.issues.length)).toEqual([]);
  });
});
