// Broker trouble in the middle of a stream: connections cut from the broker's side, and the broker restarted.
// Afterwards every message is applied exactly once, nothing is dead-lettered, and the outbound consumer has every
// ledger row, in order per bin, with repeats only as re-sends.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orders } from '@/db/schema';
import { receive, verifyInventory } from '@/server/inventory';
import { metricValue } from '@/server/observability/registry';
import { makeWorld, testActor, testConnection, uid, type World } from '@/server/testing/fixtures';
import {
  checkStream,
  collectStockEvents,
  consumeInto,
  cutConnections,
  deleteTestTopology,
  holdBroker,
  ledgerRows,
  startTestConnector,
  testClient,
  testPrefix,
  waitFor,
  type LedgerRow,
  type Received,
} from './test-support';

const run = promisify(execFile);
const conn = testConnection(20);
const prefix = testPrefix();
const channel = `recon-${uid()}`;
let w: World;
let client: Awaited<ReturnType<typeof testClient>>;
let connector: ReturnType<typeof startTestConnector>;
let stockQueue: string;
let got: Received[];
let earlier: LedgerRow[];
let releaseBroker: () => Promise<void> = async () => {};

beforeAll(async () => {
  releaseBroker = await holdBroker('shared');
  w = await makeWorld(conn, { products: 30 });
  for (const sku of w.skus) await receive(conn.db, { sku, warehouse: w.warehouse, location: 'A-01', qty: 10_000 }, { actor: testActor });
  connector = startTestConnector(conn, { prefix, prefetch: 32 });
  await connector.start();
  await waitFor(() => connector.health().ok, 'the connector');
  client = await testClient();
  ({ queue: stockQueue, got } = await collectStockEvents(client, connector.names.stock, w.warehouse));
  earlier = await ledgerRows(conn, productIds());
});

afterAll(async () => {
  await connector?.stop();
  await connector?.stream.drop();
  await client?.close();
  await deleteTestTopology(prefix, [stockQueue]);
  await releaseBroker();
  await conn.close();
});

const productIds = () => Object.values(w.productIds);
const consumed = () => metricValue(connector.metrics.consumed);

// Receipts into A-02 (a tenth sent twice) and orders; returns what the database must show afterwards.
function messages(n: number, tag: string) {
  const q = connector.names.queue;
  const receipts: { queue: string; body: unknown; messageId: string }[] = [];
  const placed: { queue: string; body: unknown; messageId: string }[] = [];
  const a02 = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const sku = w.skus[(i * 7) % w.skus.length];
    if (i % 3 === 2) {
      placed.push({ queue: q('order.placed'), body: { reference: `${tag}-${i}`, channel, lines: [{ sku, qty: 1 + (i % 2) }] }, messageId: randomUUID() });
    } else {
      const m = { queue: q('goods.received'), body: { sku, warehouse: w.warehouse, location: 'A-02', qty: 1 + (i % 3) }, messageId: randomUUID() };
      receipts.push(m);
      a02.set(sku, (a02.get(sku) ?? 0) + 1 + (i % 3));
      if (i % 10 === 0) receipts.push(m);
    }
  }
  return { receipts, placed, a02 };
}

async function a02Levels() {
  const rows = (await conn.db.execute(sql`
    SELECT p.sku, s.on_hand FROM stock_levels s JOIN products p ON p.id = s.product_id WHERE s.location_id = ${w.bins['A-02'].id}`)) as unknown as {
    sku: string;
    on_hand: number;
  }[];
  return new Map(rows.map((r) => [r.sku, r.on_hand]));
}

const receiptRows = async () =>
  ((await conn.db.execute(sql`SELECT count(*)::int AS n FROM stock_movements WHERE kind = 'receipt' AND location_id = ${w.bins['A-02'].id}`)) as unknown as { n: number }[])[0].n;

async function settled(expectedReceipts: number, expectedOrders: number) {
  await waitFor(async () => (await receiptRows()) >= expectedReceipts, 'every receipt applied', 120_000);
  await waitFor(async () => (await conn.db.select().from(orders).where(eq(orders.channel, channel))).length >= expectedOrders, 'every order applied', 120_000);
  await waitFor(async () => {
    const ch = await client.conn.createChannel();
    const depths = await Promise.all(['goods.received', 'order.placed'].map((r) => ch.checkQueue(connector.names.queue(r))));
    await ch.close();
    return connector.health().inbound.inFlight === 0 && depths.every((d) => d.messageCount === 0);
  }, 'the queues to drain', 60_000);
}

async function expectExact(sentA02: Map<string, number>, receipts: number, orderCount: number) {
  const levels = await a02Levels();
  for (const [sku, qty] of sentA02) expect(levels.get(sku)).toBe(qty);
  expect(await receiptRows()).toBe(receipts);
  expect((await conn.db.select().from(orders).where(eq(orders.channel, channel))).length).toBe(orderCount);
  const ch = await client.conn.createChannel();
  expect((await ch.checkQueue(connector.names.deadLetterQueue)).messageCount).toBe(0);
  await ch.close();
  const report = await verifyInventory(conn.db, { productIds: productIds() });
  expect(report.checks.filter((c) => c.issues.length)).toEqual([]);
}

async function expectStreamComplete() {
  const ledger = await ledgerRows(conn, productIds());
  const fresh = ledger.slice(earlier.length);
  await waitFor(() => checkStream(got, fresh, earlier).missing === 0, 'every change on the stream', 60_000);
  const result = checkStream(got, fresh, earlier);
  expect(result.problems).toEqual([]);
  return result;
}

describe('broker trouble mid-stream', { timeout: 240_000 }, () => {
  it('connections cut from the broker side: reconnects, nothing lost and nothing doubled, inbound or outbound', async () => {
    const m = messages(800, `CUT-${uid()}`);
    const all = [...m.receipts, ...m.placed];
    await Promise.all([client.publish(connector.names.queue('goods.received'), m.receipts), client.publish(connector.names.queue('order.placed'), m.placed)]);
    expect(all.length).toBeGreaterThan(800);

    await waitFor(async () => (await consumed()) >= 200, 'some messages consumed');
    expect(await cutConnections(`onhand-amqp:${prefix}:`)).toBe(2);
    // Both connections back (not only healthy) before the second cut, so it cuts the new ones, not a closing old one.
    const back = (n: number) => connector.connections.inbound!.reconnects >= n && connector.connections.outbound!.reconnects >= n;
    await waitFor(async () => connector.health().ok && back(1) && (await consumed()) >= 500, 'the connector back and further along', 120_000);
    expect(await cutConnections(`onhand-amqp:${prefix}:`)).toBe(2);

    const distinct = new Set(m.receipts.map((r) => r.messageId)).size;
    await settled(distinct, m.placed.length);
    await expectExact(m.a02, distinct, m.placed.length);
    const stream = await expectStreamComplete();
    console.log(`cut: ${await consumed()} deliveries for ${all.length} messages, ${await metricValue(connector.metrics.redelivered)} redelivered, ${stream.duplicates} stock events re-sent`);
    // A connection with nothing to do (the backlog may be drained by then) reconnects after its backoff, possibly
    // after the stream above already completed.
    await waitFor(() => back(2), 'both connections back after the second cut', 30_000);
    expect(connector.connections.inbound!.reconnects).toBeGreaterThanOrEqual(2);
    expect(connector.connections.outbound!.reconnects).toBeGreaterThanOrEqual(2);
  });

  it('the broker restarted: durable queues keep the backlog and the stream, the connector comes back', async () => {
    // Alone on the broker: no other test, of this run or another, is using it while it restarts.
    await releaseBroker();
    const alone = await holdBroker('exclusive');
    const before = { receipts: await receiptRows(), orders: (await conn.db.select().from(orders).where(eq(orders.channel, channel))).length };
    const a02Before = await a02Levels();
    const m = messages(300, `RST-${uid()}`);
    await Promise.all([client.publish(connector.names.queue('goods.received'), m.receipts), client.publish(connector.names.queue('order.placed'), m.placed)]);
    const start = await consumed();
    try {
      await waitFor(async () => (await consumed()) >= start + 60, 'some messages consumed');
      await run('rabbitmqctl', ['stop_app']);
    } finally {
      await run('rabbitmqctl', ['start_app']);
      await run('rabbitmqctl', ['await_startup']);
      await alone();
      releaseBroker = await holdBroker('shared');
    }
    // Our own client went down with the broker: a new one, reading on from the same durable queue.
    await client.close();
    client = await testClient();
    await consumeInto(client, stockQueue, got);

    await waitFor(() => connector.health().ok, 'the connector after the restart', 60_000);
    const distinct = new Set(m.receipts.map((r) => r.messageId)).size;
    await settled(before.receipts + distinct, before.orders + m.placed.length);
    const expected = new Map(a02Before);
    for (const [sku, qty] of m.a02) expected.set(sku, (expected.get(sku) ?? 0) + qty);
    await expectExact(expected, before.receipts + distinct, before.orders + m.placed.length);
    await expectStreamComplete();
  });
});
