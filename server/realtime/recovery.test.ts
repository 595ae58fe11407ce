// Nothing missed: the replication connection killed under load, and the sidecar itself restarted, while
// writes go on; every client ends with exactly the database's figures.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AvailabilityMessage } from '@/lib/contracts/realtime';
import { adjust, receive } from '@/server/inventory';
import { metricValue } from '@/server/observability/registry';
import { makeWorld, testActor, testConnection, type World } from '@/server/testing/fixtures';
import {
  connected,
  makeUser,
  staffClient,
  startSidecar,
  storefrontClient,
  tokenFor,
  waitFor,
  WarehouseMirror,
  type Sidecar,
  type StaffSocket,
  type StorefrontSocket,
} from './test-support';

const conn = testConnection();
const opts = { actor: testActor };
let w: World;
let staffId: string;
const sockets: (StaffSocket | StorefrontSocket)[] = [];

beforeAll(async () => {
  w = await makeWorld(conn, { products: 4 });
  staffId = await makeUser(conn, 'staff');
  for (const sku of w.skus) await receive(conn.db, { sku, warehouse: w.warehouse, location: 'A-01', qty: 500 }, opts);
});
afterAll(async () => {
  sockets.forEach((s) => s.close());
  await conn.close();
});

// Steady writes across the world's products until stopped: receipts and adjustments in two bins.
function writeLoad() {
  let stop = false;
  let count = 0;
  const done = (async () => {
    while (!stop) {
      const sku = w.skus[count % w.skus.length];
      if (count % 3 === 2) await adjust(conn.db, { sku, warehouse: w.warehouse, location: 'A-01', delta: -1, reason: 'damaged' }, opts);
      else await receive(conn.db, { sku, warehouse: w.warehouse, location: count % 2 ? 'A-02' : 'PICK-01', qty: 1 }, opts);
      count++;
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  return {
    get count() {
      return count;
    },
    stop: async () => {
      stop = true;
      await done;
    },
  };
}

async function mirrors(url: string, n: number) {
  const out: WarehouseMirror[] = [];
  for (let i = 0; i < n; i++) {
    const s = staffClient(url, () => tokenFor(staffId, 'staff'));
    sockets.push(s);
    out.push(new WarehouseMirror(s, conn, w.warehouseId));
    await connected(s);
  }
  await waitFor(() => out.every((m) => m.refetches > 0), 'first snapshots');
  return out;
}

async function storefrontAvailability(skus: string[]) {
  const rows = (await conn.db.execute(sql`
    SELECT p.sku, coalesce(sum(s.on_hand - s.reserved) FILTER (WHERE l.sellable AND l.kind IN ('pick', 'storage')), 0)::int AS available
    FROM products p LEFT JOIN stock_levels s ON s.product_id = p.id LEFT JOIN locations l ON l.id = s.location_id
    WHERE p.sku IN ${skus} GROUP BY p.sku`)) as unknown as { sku: string; available: number }[];
  return new Map(rows.map((r) => [r.sku, r.available]));
}

// A storefront badge model: the ack's figures, then every message with a higher version.
function badges(socket: StorefrontSocket, skus: string[]) {
  const shown = new Map<string, AvailabilityMessage>();
  const put = (m: AvailabilityMessage) => (shown.get(m.sku)?.version ?? -1) < m.version && shown.set(m.sku, m);
  socket.on('availability', put);
  socket.on('connect', async () => {
    const ack = await socket.timeout(5000).emitWithAck('subscribe', { skus });
    if (ack.ok) ack.items.forEach(put);
  });
  return shown;
}

async function badgesMatch(shown: Map<string, AvailabilityMessage>) {
  const db = await storefrontAvailability(w.skus);
  return w.skus.every((s) => shown.get(s)?.available === db.get(s));
}

describe('the replication connection killed while writes continue', () => {
  let sidecar: Sidecar;
  afterAll(() => sidecar?.close());

  it('resubscribes on a new slot, sends resync, and every client ends with the database figures', async () => {
    sidecar = await startSidecar();
    const tabs = await mirrors(sidecar.url, 3);
    const shop = storefrontClient(sidecar.url);
    sockets.push(shop);
    const shown = badges(shop, w.skus);
    await connected(shop);

    const load = writeLoad();
    await waitFor(() => load.count >= 20, 'some writes');
    const before = sidecar.realtime.feed.pid;
    const killed = (await conn.db.execute(sql`
      SELECT pid, pg_terminate_backend(pid) AS terminated FROM pg_stat_activity
      WHERE backend_type = 'walsender' AND application_name = ${sidecar.realtime.feed.applicationName}`)) as unknown as {
      pid: number;
      terminated: boolean;
    }[];
    expect(killed).toEqual([{ pid: before, terminated: true }]);

    await waitFor(() => sidecar.realtime.feed.up && sidecar.realtime.feed.pid !== before, 'a new replication connection');
    const afterKill = load.count;
    await waitFor(() => load.count >= afterKill + 20, 'writes after the resubscription');
    await load.stop();

    await waitFor(async () => (await Promise.all(tabs.map((t) => t.matchesDatabase()))).every(Boolean), 'every tab to match the database');
    await waitFor(() => badgesMatch(shown), 'every badge to match the database');
    for (const t of tabs) expect(t.resyncs).toBeGreaterThanOrEqual(1);
    expect(await metricValue(sidecar.realtime.metrics.feedLosses)).toBe(1);
    expect(await metricValue(sidecar.realtime.metrics.resyncs)).toBe(2);
    // The dead stream's temporary slot went with it; only the new one remains.
    const slots = (await conn.db.execute(sql`
      SELECT count(*)::int AS n FROM pg_replication_slots s JOIN pg_stat_activity a ON a.pid = s.active_pid
      WHERE a.application_name = ${sidecar.realtime.feed.applicationName}`)) as unknown as { n: number }[];
    expect(slots[0].n).toBe(1);
  });
});

describe('the sidecar restarted while writes continue', () => {
  it('clients reconnect with a fresh token, refetch, and converge', async () => {
    const first = await startSidecar();
    const tabs = await mirrors(first.url, 3);
    const shop = storefrontClient(first.url);
    sockets.push(shop);
    const shown = badges(shop, w.skus);
    await connected(shop);

    const load = writeLoad();
    await waitFor(() => load.count >= 10, 'some writes');
    await first.close();
    await waitFor(() => tabs.every((t) => !t.socket.connected), 'clients to notice');
    const down = load.count;
    await waitFor(() => load.count >= down + 15, 'writes while the sidecar is down');

    const second = await startSidecar({ port: first.port });
    try {
      await waitFor(() => tabs.every((t) => t.socket.connected) && shop.connected, 'clients to reconnect');
      const up = load.count;
      await waitFor(() => load.count >= up + 15, 'writes after the restart');
      await load.stop();
      await waitFor(async () => (await Promise.all(tabs.map((t) => t.matchesDatabase()))).every(Boolean), 'every tab to match the database');
      await waitFor(() => badgesMatch(shown), 'every badge to match the database');
      for (const t of tabs) expect(t.refetches).toBeGreaterThanOrEqual(2);
    } finally {
      await load.stop();
      await second.close();
    }
  });
});
