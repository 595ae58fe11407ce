// The outbound stream against the real broker: a consumer bound to the exchange receives every ledger row of a
// run in commit order per bin (versions 1, 2, 3... with none missing), across a connector restart, and is told
// when the replication slot was lost.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adjust, allocateOrder, count, InventoryError, receive, release, reserve, transfer } from '@/server/inventory';
import { metricValue } from '@/server/observability/registry';
import { makeWorld, testActor, testConnection, uid, type World } from '@/server/testing/fixtures';
import { checkStream, collectStockEvents, deleteTestTopology, holdBroker, ledgerRows, startTestConnector, testClient, testPrefix, waitFor } from './test-support';

const conn = testConnection(12);
const prefix = testPrefix();
const opts = { actor: testActor };
let w: World;
let client: Awaited<ReturnType<typeof testClient>>;
let connector: ReturnType<typeof startTestConnector>;
const extraQueues: string[] = [];
let releaseBroker: () => Promise<void>;

const start = async () => {
  const c = startTestConnector(conn, { prefix, inbound: { enabled: false } });
  await c.start();
  await waitFor(() => c.health().outbound.streaming, 'the replication stream');
  return c;
};

beforeAll(async () => {
  releaseBroker = await holdBroker('shared');
  w = await makeWorld(conn, { products: 6 });
  client = await testClient();
  connector = await start();
});

afterAll(async () => {
  await connector?.stop();
  await connector?.stream.drop();
  await client?.close();
  await deleteTestTopology(prefix, extraQueues);
  await releaseBroker?.();
  await conn.close();
});

// A mix of every kind of stock change from several workers at once, refusals included (they write nothing).
async function writeLoad(ops: number, workers = 6) {
  let next = 0;
  const holds: string[] = [];
  const bins = ['A-01', 'A-02', 'PICK-01'];
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < ops) {
        const i = next++;
        const sku = w.skus[i % w.skus.length];
        const bin = bins[i % bins.length];
        try {
          switch (i % 7) {
            case 0:
            case 1:
              await receive(conn.db, { sku, warehouse: w.warehouse, location: bin, qty: 5 }, opts);
              break;
            case 2:
              await adjust(conn.db, { sku, warehouse: w.warehouse, location: bin, delta: -1, reason: 'damaged' }, opts);
              break;
            case 3:
              holds.push((await reserve(conn.db, { sku, qty: 2, warehouse: w.warehouse }, opts)).id);
              break;
            case 4: {
              const id = holds.shift();
              if (id) await release(conn.db, { id }, opts);
              else await allocateOrder(conn.db, { reference: `OUT-${uid()}`, lines: [{ sku, qty: 1 }] }, opts);
              break;
            }
            case 5:
              await transfer(conn.db, { sku, from: { warehouse: w.warehouse, location: bin }, to: { warehouse: w.warehouse, location: 'A-02' }, qty: 1 }, opts);
              break;
            default:
              await count(conn.db, { sku, warehouse: w.warehouse, location: bin, counted: 0, expected: 0 }, opts);
          }
        } catch (e) {
          if (!(e instanceof InventoryError)) throw e;
        }
      }
    }),
  );
}

const productIds = () => Object.values(w.productIds);

describe('outbound stock events', { timeout: 120_000 }, () => {
  it('delivers every ledger row of a run, in commit order per bin, with the level after it', async () => {
    const { queue, got } = await collectStockEvents(client, connector.names.stock, w.warehouse);
    extraQueues.push(queue);
    await writeLoad(400);
    const ledger = await ledgerRows(conn, productIds());
    await waitFor(() => got.length >= ledger.length, `${ledger.length} events (have ${got.length})`);
    await new Promise((r) => setTimeout(r, 200));

    expect(ledger.length).toBeGreaterThan(250);
    expect(checkStream(got, ledger)).toEqual({ problems: [], missing: 0, duplicates: 0 });
    // Commit order across bins too: the WAL position never goes back.
    const lsns = got.map((g) => g.event.lsn.split('/').map((x) => BigInt(`0x${x}`))).map(([hi, lo]) => (hi << 32n) | lo);
    expect(lsns.every((l, i) => i === 0 || l >= lsns[i - 1])).toBe(true);
    const first = got[0];
    expect(first.routingKey).toBe(`stock.${w.warehouse}.${first.event.sku}`);
    expect(first.messageId).toBe(`movement-${first.event.movementId}`);
    expect(first.event.available).toBe(first.event.onHand - first.event.reserved);
    expect(await metricValue(connector.metrics.published)).toBeGreaterThanOrEqual(ledger.length);
    process.env.METRICS_TOKEN = 'outbound-metrics-token';
    const metrics = await (await fetch(`http://127.0.0.1:${connector.httpPort}/metrics`, { headers: { authorization: 'Bearer outbound-metrics-token' } })).text();
    delete process.env.METRICS_TOKEN;
    expect(metrics).toMatch(/onhand_amqp_outbound_published_total \d+/);
    expect(metrics).toMatch(/onhand_amqp_outbound_lag_seconds \d/);
    expect(metrics).toMatch(/onhand_amqp_connection_up\{role="outbound"\} 1/);
    expect(await (await fetch(`http://127.0.0.1:${connector.httpPort}/health`)).json()).toMatchObject({ ok: true, outbound: { streaming: true } });
  });

  it('resumes from its durable position when the connector restarts, while writes go on', async () => {
    const { queue, got } = await collectStockEvents(client, connector.names.stock, w.warehouse);
    extraQueues.push(queue);
    const earlier = await ledgerRows(conn, productIds());
    const before = earlier.length;
    const load = writeLoad(500, 4);
    await waitFor(async () => (await ledgerRows(conn, productIds())).length >= before + 100, 'writes before the restart');
    await connector.stop();
    await waitFor(async () => (await ledgerRows(conn, productIds())).length >= before + 250, 'writes while the connector is down');
    connector = await start();
    await load;
    const ledger = (await ledgerRows(conn, productIds())).slice(before);
    await waitFor(() => got.length >= ledger.length, `${ledger.length} events (have ${got.length})`);
    await new Promise((r) => setTimeout(r, 200));
    // A graceful stop has saved every confirmed position: nothing lost and nothing sent twice.
    expect(checkStream(got, ledger, earlier)).toEqual({ problems: [], missing: 0, duplicates: 0 });
  });

  it('picks up again, without a gap, after its replication connection is killed', async () => {
    const { queue, got } = await collectStockEvents(client, connector.names.stock, w.warehouse);
    extraQueues.push(queue);
    const earlier = await ledgerRows(conn, productIds());
    const load = writeLoad(300, 4);
    await waitFor(() => got.length >= 50, 'some events');
    const killed = (await conn.db.execute(sql`
      SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
      WHERE backend_type = 'walsender' AND application_name = ${`onhand-amqp:${prefix}`}`)) as unknown as { ok: boolean }[];
    expect(killed).toEqual([{ ok: true }]);
    await load;
    const ledger = (await ledgerRows(conn, productIds())).slice(earlier.length);
    await waitFor(() => checkStream(got, ledger, earlier).missing === 0, 'every change after the kill', 60_000);
    expect(checkStream(got, ledger, earlier).problems).toEqual([]);
    expect(await metricValue(connector.metrics.publishFailures)).toBeGreaterThanOrEqual(1);
    await waitFor(() => connector.health().outbound.streaming, 'streaming again');
  });

  it('runs as a standby beside a streaming instance and takes over when that one stops', async () => {
    const { queue, got } = await collectStockEvents(client, connector.names.stock, w.warehouse);
    extraQueues.push(queue);
    const second = startTestConnector(conn, { prefix, inbound: { enabled: false }, reconnect: { baseMs: 100, maxMs: 500 }, outbound: { backoff: { baseMs: 100, maxMs: 500 } } });
    await second.start();
    try {
      await waitFor(() => second.health().outbound.standby, 'the second instance to stand by');
      expect(second.health().ok).toBe(true);
      const earlier = await ledgerRows(conn, productIds());
      const load = writeLoad(200, 3);
      await waitFor(() => got.length >= 20, 'some events from the first instance');
      await connector.stop();
      await waitFor(() => second.health().outbound.streaming, 'the second instance to take over');
      await load;
      const ledger = (await ledgerRows(conn, productIds())).slice(earlier.length);
      await waitFor(() => checkStream(got, ledger, earlier).missing === 0, 'every change across the hand-over', 60_000);
      expect(checkStream(got, ledger, earlier).problems).toEqual([]);
    } finally {
      connector = second;
    }
  });

  it('notices a lost replication slot: recreates it and says so on the exchange', async () => {
    const resets = await client.conn.createChannel();
    const q = (await resets.assertQueue('', { exclusive: true })).queue;
    await resets.bindQueue(q, connector.names.stock, 'control.#');
    const got: { type: string }[] = [];
    await resets.consume(q, (m) => m && got.push(JSON.parse(m.content.toString())), { noAck: true });
    await connector.stop();
    await conn.db.execute(sql`SELECT pg_drop_replication_slot(${connector.names.slot})`);
    connector = await start();
    await waitFor(() => got.length === 1, 'the reset notice');
    expect(got[0].type).toBe('stream.reset');
    expect(await metricValue(connector.metrics.slotLosses)).toBe(1);
    expect(connector.lines.some((l) => /replication slot .* was missing/.test(l))).toBe(true);
  });
});
