// Storefront channels as the sidecar serves them: an admin's edit takes effect live, and a flood of availability
// reads is answered from memory, with the database's own transaction counter as the witness.
import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { connect, type Connection } from '@/db/client';
import { migrateDatabase } from '@/db/migrate';
import { createDatabaseIfMissing, dropDatabase } from '@/db/provision';
import { channels, channelWarehouses } from '@/db/schema';
import type { AvailabilityMessage } from '@/lib/contracts/realtime';
import { receive } from '@/server/inventory/commands/receive';
import { reserve } from '@/server/inventory/commands/reserve';
import { metricValue } from '@/server/observability/registry';
import { makeWorld, testActor, testConnection, type World } from '@/server/testing/fixtures';
import { collect, connected, makeChannel, startSidecar, storefrontClient, waitFor, type Sidecar, type StorefrontSocket } from './test-support';

// The floods below come from many storefront visitors through a proxy on this host, which names each in X-Forwarded-For.
process.env.TRUST_PROXY = 'loopback';

const opts = { actor: testActor };
const SHOP = 'https://live-shop.example';

describe('a channel edited while badges are open', () => {
  const conn = testConnection();
  let sidecar: Sidecar;
  let w: World;
  let other: World;
  const sockets: StorefrontSocket[] = [];
  beforeAll(async () => {
    w = await makeWorld(conn, { products: 1 });
    other = await makeWorld(conn, { products: 1 });
    await receive(conn.db, { sku: w.skus[0], warehouse: w.warehouse, location: 'A-01', qty: 8 }, opts);
    sidecar = await startSidecar();
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await sidecar.close();
    await conn.close();
  });

  it('takes a new origin, another warehouse set and a new threshold without a restart', async () => {
    const key = await makeChannel(conn, { origins: ['https://before.example'] });
    const sku = w.skus[0];
    const rest = () => fetch(`${sidecar.url}/api/v1/availability?sku=${sku}&channel=${key}`, { headers: { Origin: SHOP } });
    await waitFor(() => sidecar.realtime.cache.productBySku(sku) !== undefined, 'the product');
    await waitFor(async () => (await rest()).status === 200, 'the channel');
    expect((await rest()).headers.get('access-control-allow-origin')).toBeNull();
    const s = storefrontClient(sidecar.url, { origin: 'https://before.example' });
    sockets.push(s);
    await connected(s);
    const got = collect<AvailabilityMessage>(s, 'availability');
    expect(await s.timeout(5000).emitWithAck('subscribe', { skus: [sku], channel: key })).toMatchObject({
      ok: true,
      items: [{ sku, channel: key, available: 8, status: 'in_stock' }],
    });

    await conn.db.update(channels).set({ allowedOrigins: ['https://before.example', SHOP] }).where(eq(channels.key, key));
    await waitFor(async () => (await rest()).headers.get('access-control-allow-origin') === SHOP, 'the new origin');

    // Only the other warehouse: nothing there, so the open badge hears "out of stock".
    const [c] = await conn.db.select().from(channels).where(eq(channels.key, key));
    await conn.db.insert(channelWarehouses).values({ channelId: c.id, warehouseId: other.warehouseId });
    await waitFor(() => got.some((m) => m.status === 'out_of_stock'), 'the warehouse change');
    expect(got.at(-1)).toMatchObject({ sku, channel: key, available: 0, status: 'out_of_stock' });

    // Back to every warehouse, with "only N left" at 10: 8 is now low.
    await conn.db.delete(channelWarehouses).where(eq(channelWarehouses.channelId, c.id));
    await conn.db.update(channels).set({ lowStockThreshold: 10 }).where(eq(channels.key, key));
    await waitFor(() => got.at(-1)?.status === 'low_stock', 'the threshold change');
    expect(got.at(-1)).toMatchObject({ available: 8, status: 'low_stock' });
    expect((await (await rest()).json()).items[0]).toMatchObject({ available: 8, status: 'low_stock' });

    // Keeping 3 back: the badge shows 5, and a hold for the channel may take those 5 and no more.
    await conn.db.update(channels).set({ lowStockThreshold: null, buffer: 3 }).where(eq(channels.key, key));
    await waitFor(() => got.at(-1)?.available === 5, 'the buffer');
    expect((await (await rest()).json()).items[0]).toMatchObject({ available: 5 });
    await expect(reserve(conn.db, { sku, qty: 6, channel: key }, opts)).rejects.toMatchObject({ type: 'insufficient_stock', details: { available: 5 } });
    await reserve(conn.db, { sku, qty: 5, channel: key }, opts);
    await waitFor(() => got.at(-1)?.status === 'out_of_stock', 'the hold');
    expect(got.at(-1)).toMatchObject({ available: 0, status: 'out_of_stock' });
  });
});

describe('a flood of availability reads', () => {
  const adminUrl = (() => {
    const u = new URL(inject('databaseUrl'));
    u.pathname = '/postgres';
    return u.toString();
  })();
  const name = `onhand_flood_${randomBytes(4).toString('hex')}`;
  let url = '';
  let admin: Connection;
  let conn: Connection;
  let sidecar: Sidecar;
  let w: World;

  beforeAll(async () => {
    await createDatabaseIfMissing(adminUrl, name);
    const u = new URL(adminUrl);
    u.pathname = `/${name}`;
    url = u.toString();
    await migrateDatabase(url);
    conn = connect(url, { max: 2 });
    admin = connect(adminUrl, { max: 1 });
    w = await makeWorld(conn, { products: 20 });
    for (const sku of w.skus) await receive(conn.db, { sku, warehouse: w.warehouse, location: 'A-01', qty: 5 }, opts);
    await conn.close();
    sidecar = await startSidecar({ databaseUrl: url, productRefreshMs: 3_600_000 });
  });
  afterAll(async () => {
    await sidecar?.close();
    await admin?.close();
    await dropDatabase(adminUrl, name);
  });

  // Transactions the server has counted in the flood's database, read from another database so the reading is
  // not itself counted. Backends report their counts within a second of going idle: wait that out first.
  async function committed(): Promise<number> {
    await new Promise((r) => setTimeout(r, 1500));
    await admin.db.execute(sql`SELECT pg_stat_clear_snapshot()`);
    const [r] = (await admin.db.execute(sql`SELECT xact_commit::int AS n FROM pg_stat_database WHERE datname = ${name}`)) as unknown as { n: number }[];
    return r.n;
  }

  it('is answered from memory: 2,000 reads, no database query for them', async () => {
    const ask = (i: number) => {
      const skus = [w.skus[i % 20], w.skus[(i * 7) % 20], 'NOT-A-PRODUCT'];
      return fetch(`${sidecar.url}/api/v1/availability?${skus.map((s) => `sku=${s}`).join('&')}`, { headers: { 'X-Forwarded-For': `198.51.100.${i % 200}` } });
    };
    // The unknown SKU costs one look-up the first time; after that it is remembered.
    expect((await ask(0)).status).toBe(200);
    const queries = () => metricValue(sidecar.realtime.metrics.dbQueries);
    const before = await committed();
    const sentBefore = await queries();
    let ok = 0;
    for (let i = 0; i < 2000; i += 50) {
      const answers = await Promise.all(Array.from({ length: 50 }, (_, j) => ask(i + j)));
      for (const a of answers) if (a.status === 200 && (await a.json()).items.length) ok++;
    }
    const after = await committed();
    expect(ok).toBe(2000);
    // The sidecar sent nothing; the server saw nothing per request (its own background work, autovacuum visiting
    // the new database, may add a few transactions of its own).
    expect(await queries()).toBe(sentBefore);
    expect(after - before).toBeLessThan(50);

    // Both witnesses see queries when there are some: new SKUs are looked up, and 100 plain queries show up as 100.
    const sent = await queries();
    await fetch(`${sidecar.url}/api/v1/availability?sku=NEW-1&sku=NEW-2`);
    expect(await queries()).toBeGreaterThan(sent);
    const probe = connect(url, { max: 1 });
    const base = await committed();
    for (let i = 0; i < 100; i++) await probe.db.execute(sql`SELECT 1`);
    await probe.close();
    expect((await committed()) - base).toBeGreaterThanOrEqual(100);
  });
});
