// Warehouse and bin master data on the feed: open warehouse screens hear of every change, and a bin that stops
// counting as sellable changes what storefronts see.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AvailabilityMessage, PlaceMessage } from '@/lib/contracts/realtime';
import { receive } from '@/server/inventory';
import { saveLocation } from '@/server/inventory/commands/locations';
import { saveWarehouse } from '@/server/inventory/commands/warehouses';
import { makeWorld, testActor, testConnection, uid, type World } from '@/server/testing/fixtures';
import { collect, connected, join, makeUser, staffClient, startSidecar, storefrontClient, tokenFor, waitFor, type Sidecar } from './test-support';

const conn = testConnection();
const opts = { actor: testActor };
let sidecar: Sidecar;
let w1: World;
let w2: World;
let managerId: string;
const sockets: { close: () => unknown }[] = [];

async function managerIn(rooms: string[]) {
  const s = staffClient(sidecar.url, () => tokenFor(managerId, 'manager'));
  sockets.push(s);
  await connected(s);
  expect((await join(s, rooms)).joined).toEqual(rooms);
  return s;
}

beforeAll(async () => {
  [w1, w2] = await Promise.all([makeWorld(conn), makeWorld(conn)]);
  managerId = await makeUser(conn, 'manager');
  sidecar = await startSidecar();
});
afterAll(async () => {
  sockets.forEach((s) => s.close());
  await sidecar.close();
  await conn.close();
});

describe('warehouse and bin changes', () => {
  it('a new or edited bin reaches its warehouse room, not another; a renamed warehouse reaches every staff socket', async () => {
    const a = await managerIn([`warehouse:${w1.warehouseId}`]);
    const b = await managerIn([`warehouse:${w2.warehouseId}`]);
    const atA = collect<PlaceMessage>(a, 'place');
    const atB = collect<PlaceMessage>(b, 'place');
    await saveLocation(conn.db, { warehouse: w1.warehouse, code: 'N-1', kind: 'storage' }, opts);
    await saveLocation(conn.db, { warehouse: w1.warehouse, code: 'N-1', pickOrder: 9 }, opts);
    // A marker: once B hears of the rename, every earlier commit it would ever get has arrived.
    await saveWarehouse(conn.db, { code: w2.warehouse, name: 'Renamed' }, opts);
    await waitFor(() => atA.filter((m) => m.kind === 'location').length >= 2 && atB.some((m) => m.kind === 'warehouse'), 'the bin and warehouse messages');
    expect(atA.filter((m) => m.kind === 'location').map(({ locationId: _, ...m }) => m)).toEqual([
      { kind: 'location', warehouseId: w1.warehouseId, code: 'N-1', active: true, version: 1 },
      { kind: 'location', warehouseId: w1.warehouseId, code: 'N-1', active: true, version: 2 },
    ]);
    expect(atB.filter((m) => m.kind === 'location')).toEqual([]);
    await waitFor(() => atA.some((m) => m.kind === 'warehouse'), 'the rename in the other room');
    expect(atA.find((m) => m.kind === 'warehouse')).toEqual({ kind: 'warehouse', warehouseId: w2.warehouseId, locationId: null, code: w2.warehouse, active: true, version: 2 });
  });

  it('the room of a warehouse created a moment ago, with no bins yet, can be joined', async () => {
    const code = `NEW${uid()}`;
    await saveWarehouse(conn.db, { code, name: 'Fresh', mode: 'create' }, opts);
    const [row] = await conn.db.query.warehouses.findMany({ where: (t, { eq }) => eq(t.code, code) });
    await managerIn([`warehouse:${row.id}`]);
  });

  it('a bin with stock turned unsellable takes its units out of storefront availability, and back', async () => {
    const world = await makeWorld(conn, { products: 1 });
    const sku = world.skus[0];
    await receive(conn.db, { sku, warehouse: world.warehouse, location: 'A-01', qty: 6 }, opts);
    const s = storefrontClient(sidecar.url);
    sockets.push(s);
    await connected(s);
    const got = collect<AvailabilityMessage>(s, 'availability');
    await waitFor(() => sidecar.realtime.cache.availability(world.productIds[sku])?.available === 6, 'the receipt');
    expect(await s.timeout(5000).emitWithAck('subscribe', { skus: [sku] })).toMatchObject({ ok: true, items: [{ sku, available: 6 }] });
    await saveLocation(conn.db, { warehouse: world.warehouse, code: 'A-01', sellable: false }, opts);
    await waitFor(() => got.some((m) => m.available === 0), 'availability without the bin');
    await saveLocation(conn.db, { warehouse: world.warehouse, code: 'A-01', kind: 'quarantine', sellable: true }, opts);
    await saveLocation(conn.db, { warehouse: world.warehouse, code: 'A-01', kind: 'storage' }, opts);
    await waitFor(() => got.at(-1)?.available === 6, 'availability with the bin again');
  });
});
