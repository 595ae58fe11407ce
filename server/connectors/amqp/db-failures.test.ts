// The database failing under the inbound consumer: statements cancelled mid-transaction are retried and nothing
// is lost or applied twice; a database that stays away gets each message dead-lettered after the bounded retries.
// (Sessions are cancelled, not terminated: postgres.js 3.4.9 can throw an uncaught TypeError when a socket closes
// under a buffered write, porsager/postgres#1208; `npm start` restarts the connector if that ever takes it down.)
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { inject } from 'vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '@/db/client';
import { metricValue } from '@/server/observability/registry';
import { makeWorld, testConnection, uid, type World } from '@/server/testing/fixtures';
import { deadLetterEnvelope } from './messages';
import { deleteTestTopology, holdBroker, startTestConnector, testClient, testPrefix, waitFor } from './test-support';

const conn = testConnection(4);
const appName = `amqp-dbfail-${uid()}`;
// The connector's own pool, named so the test can kill exactly its sessions.
const victim = connect(inject('databaseUrl'), { max: 8, connection: { application_name: appName } });
let w: World;
let client: Awaited<ReturnType<typeof testClient>>;
const prefixes: string[] = [];
let releaseBroker: () => Promise<void>;

beforeAll(async () => {
  releaseBroker = await holdBroker('shared');
  w = await makeWorld(conn, { products: 10 });
  client = await testClient();
});

afterAll(async () => {
  await client?.close();
  for (const p of prefixes) await deleteTestTopology(p);
  await victim.close();
  await releaseBroker?.();
  await conn.close();
});

describe('database failures under the inbound consumer', { timeout: 180_000 }, () => {
  it('retries transactions whose statements were cancelled, and applies every message exactly once', async () => {
    const prefix = testPrefix();
    prefixes.push(prefix);
    const connector = startTestConnector(conn, { prefix, db: victim.db, outbound: { enabled: false }, retry: { attempts: 8, baseMs: 50, maxMs: 500 } });
    const sent = Array.from({ length: 300 }, (_, i) => ({
      body: { sku: w.skus[i % w.skus.length], warehouse: w.warehouse, location: 'A-02', qty: 1 + (i % 3) },
      messageId: randomUUID(),
    }));
    let cancelled = 0;
    try {
      await connector.start();
      await waitFor(() => connector.health().ok, 'the connector');
      await client.publish(connector.names.queue('goods.received'), sent);
      const consumed = () => metricValue(connector.metrics.consumed);
      for (const at of [50, 120, 190]) {
        await waitFor(async () => (await consumed()) >= at, `${at} messages consumed`, 120_000);
        // A burst of cancellations, like a statement timeout hitting every busy session for a moment. Not the
        // driver's own type lookup on a new connection: nobody awaits that query, so its failure is unhandled.
        for (let i = 0; i < 20; i++) {
          const rows = (await conn.db.execute(sql`
            SELECT pg_cancel_backend(pid) AS ok FROM pg_stat_activity
            WHERE application_name = ${appName} AND state = 'active' AND query NOT LIKE '%pg_catalog.pg_type%'`)) as unknown as { ok: boolean }[];
          cancelled += rows.filter((r) => r.ok).length;
          await new Promise((r) => setTimeout(r, 20));
        }
      }
      await waitFor(async () => (await metricValue(connector.metrics.applied)) >= sent.length, 'every message applied', 120_000);
    } finally {
      // Stopped before its queues are deleted, or it would reconnect and declare them again.
      await connector.stop();
    }

    const [{ n, total }] = (await conn.db.execute(sql`
      SELECT count(*)::int AS n, coalesce(sum(on_hand_delta), 0)::int AS total FROM stock_movements
      WHERE kind = 'receipt' AND location_id = ${w.bins['A-02'].id}`)) as unknown as { n: number; total: number }[];
    expect(n).toBe(sent.length);
    expect(total).toBe(sent.reduce((s, m) => s + m.body.qty, 0));
    expect(await metricValue(connector.metrics.deadLettered)).toBe(0);
    expect(cancelled).toBeGreaterThan(0);
    expect(await metricValue(connector.metrics.retries)).toBeGreaterThan(0);
  });

  it('dead-letters each message as database_unavailable once the retries are spent, body and attempts included', async () => {
    const prefix = testPrefix();
    prefixes.push(prefix);
    // Nothing listens on port 1: every transaction fails to connect.
    const nowhere = connect('postgres://onhand:onhand@127.0.0.1:1/none', { max: 2, connect_timeout: 1 });
    const connector = startTestConnector(conn, { prefix, db: nowhere.db, outbound: { enabled: false }, retry: { attempts: 3, baseMs: 20, maxMs: 50 } });
    try {
      await connector.start();
      await waitFor(() => connector.health().ok, 'the connector');
      const ids = [randomUUID(), randomUUID()];
      await client.publish(
        connector.names.queue('stock.adjusted'),
        ids.map((messageId) => ({ body: { sku: w.skus[0], warehouse: w.warehouse, location: 'A-01', delta: 2, reason: 'found' }, messageId })),
      );
      const ch = await client.conn.createChannel();
      const dead: unknown[] = [];
      await ch.consume(connector.names.deadLetterQueue, (m) => m && dead.push(deadLetterEnvelope.parse(JSON.parse(m.content.toString()))), { noAck: true });
      await waitFor(() => dead.length === 2, 'two dead letters', 60_000);
      for (const d of dead) expect(d).toMatchObject({ error: { type: 'database_unavailable' }, attempts: 3, route: 'stock.adjusted', body: { delta: 2 } });
      expect(dead.map((d) => (d as { messageId: string }).messageId).sort()).toEqual([...ids].sort());
    } finally {
      await connector.stop();
      await nowhere.close();
    }
  });
});
