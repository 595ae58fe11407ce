// Test helpers: the machine's real RabbitMQ (AMQP_URL or localhost), a connector per test with its own prefix,
// a confirming publisher, queue collectors, and connection cuts from the broker's side (rabbitmqctl).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { connect, type ChannelModel, type ConfirmChannel, type ConsumeMessage } from 'amqplib';
import { sql } from 'drizzle-orm';
import { inject } from 'vitest';
import type { Connection } from '@/db/client';
import { uid, waitFor as waitUntil } from '@/server/testing/fixtures';
import { createAmqpConnector, type AmqpConnector, type AmqpConnectorOptions } from './create-amqp-connector';
import { routeNames, stockChangedEvent, type StockChangedEvent } from './messages';
import { parsePublishers } from './publishers';
import { holdBroker as holdBrokerLock } from './test-broker-lock';
import { deleteTopology, topologyNames } from './topology';

const run = promisify(execFile);

export const rabbitUrl = () => process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

// The user rabbitUrl() connects as: what the broker checks a message's user_id against.
export const brokerUser = (url = rabbitUrl()) => decodeURIComponent(new URL(url).username || 'guest');

export const testPrefix = () => `test-${uid().toLowerCase()}`;

export type Logged = { lines: string[] };

export function startTestConnector(conn: Connection, o: Partial<AmqpConnectorOptions> & { prefix: string }): AmqpConnector & Logged {
  const lines: string[] = [];
  const connector = createAmqpConnector({
    db: conn.db,
    databaseUrl: inject('databaseUrl'),
    url: rabbitUrl(),
    httpPort: 0,
    retry: { attempts: 3, baseMs: 20, maxMs: 100 },
    // The test client publishes as the broker user of rabbitUrl(), allowed every command unless a test says otherwise.
    publishers: parsePublishers(`${brokerUser()}:*`),
    reconnect: { baseMs: 100, maxMs: 1000 },
    log: (line) => {
      lines.push(line);
      if (process.env.AMQP_TEST_LOG) console.log(`[amqp ${o.prefix}] ${line}`);
    },
    ...o,
  });
  return Object.assign(connector, { lines });
}

// Test files that use the broker hold it shared; the broker-restart test holds it alone (test-broker-lock.ts).
export const holdBroker = (mode: 'shared' | 'exclusive') => holdBrokerLock(rabbitUrl(), mode);

// A client of our own, like the shop's systems: publishes with confirms, reads queues. The tests need the broker:
// without it they fail here, saying so.
export async function testClient(url = rabbitUrl()) {
  const user = brokerUser(url);
  const conn: ChannelModel = await connect(url, { clientProperties: { connection_name: 'onhand-amqp-test-client' } }).catch((e: Error) => {
    throw new Error(`RabbitMQ is not reachable at ${rabbitUrl().replace(/:[^:@/]+@/, ':***@')} (${e.message}); the AMQP connector tests need it.`);
  });
  conn.on('error', () => {});
  const ch: ConfirmChannel = await conn.createConfirmChannel();
  return {
    conn,
    ch,
    // Body: an object (sent as JSON) or raw bytes/text; messageId null sends none; userId null sends none
    // (otherwise the connection's own user, as the broker requires).
    async publish(queue: string, messages: { body: unknown; messageId: string | null; raw?: boolean; userId?: string | null; replyTo?: string; correlationId?: string }[]) {
      for (const m of messages) {
        const content = m.raw ? Buffer.from(m.body as string) : Buffer.from(JSON.stringify(m.body));
        const userId = m.userId === undefined ? user : m.userId;
        const ok = ch.sendToQueue(queue, content, {
          persistent: true,
          contentType: 'application/json',
          ...(m.messageId ? { messageId: m.messageId } : {}),
          ...(userId ? { userId } : {}),
          ...(m.replyTo ? { replyTo: m.replyTo, correlationId: m.correlationId } : {}),
        });
        if (!ok) await new Promise((r) => ch.once('drain', r));
      }
      await ch.waitForConfirms();
    },
    async collect(queue: string) {
      const got: ConsumeMessage[] = [];
      const c = await conn.createChannel();
      await c.consume(queue, (m) => m && got.push(m), { noAck: true });
      return got;
    },
    async close() {
      await conn.close().catch(() => {});
    },
  };
}

// A durable queue bound to the stock exchange, as a downstream system would have.
export async function bindStockQueue(client: Awaited<ReturnType<typeof testClient>>, exchange: string, pattern: string) {
  const ch = await client.conn.createChannel();
  await ch.assertExchange(exchange, 'topic', { durable: true });
  const q = `${exchange}.test-${uid().toLowerCase()}`;
  await ch.assertQueue(q, { durable: true });
  await ch.bindQueue(q, exchange, pattern);
  return q;
}

// Closes, from the broker's side, every connection whose name contains `match`; returns how many.
export async function cutConnections(match: string): Promise<number> {
  const { stdout } = await run('rabbitmqctl', ['list_connections', 'pid', 'client_properties', '-q']);
  const pids = stdout
    .split('\n')
    .filter((l) => l.includes(match))
    .map((l) => l.split('\t')[0])
    .filter((p) => p.startsWith('<'));
  await Promise.all(pids.map((pid) => run('rabbitmqctl', ['close_connection', pid, 'test: connection cut'])));
  return pids.length;
}

export async function deleteTestTopology(prefix: string, extraQueues: string[] = []) {
  const conn = await connect(rabbitUrl());
  conn.on('error', () => {});
  try {
    const names = topologyNames(prefix);
    // Each delete on its own channel: deleting something already gone closes the channel.
    for (const q of extraQueues) await withChannel(conn, (ch) => ch.deleteQueue(q));
    await withChannel(conn, (ch) => deleteTopology(ch, names, routeNames));
  } finally {
    await conn.close().catch(() => {});
  }
}

async function withChannel(conn: ChannelModel, f: (ch: Awaited<ReturnType<ChannelModel['createChannel']>>) => Promise<unknown>) {
  const ch = await conn.createChannel();
  ch.on('error', () => {});
  await f(ch).catch(() => {});
  await ch.close().catch(() => {});
}

// The broker and the connector's reconnects are slower than the database: a longer default wait.
export const waitFor = (check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000) => waitUntil(check, what, timeoutMs);

export type Received = { event: StockChangedEvent; routingKey: string; messageId: string };

// Every stock event routed to a durable queue bound to one warehouse, in arrival order.
export async function collectStockEvents(client: Awaited<ReturnType<typeof testClient>>, exchange: string, warehouse: string) {
  const queue = await bindStockQueue(client, exchange, `stock.${warehouse}.#`);
  const got: Received[] = [];
  await consumeInto(client, queue, got);
  return { queue, got };
}

// Acknowledged once recorded, not on delivery: a broker that stops with deliveries still unread in our socket
// hands them out again to the next consumer (a re-send, which checkStream tells apart), where noAck would lose them.
export async function consumeInto(client: Awaited<ReturnType<typeof testClient>>, queue: string, got: Received[]) {
  const ch = await client.conn.createChannel();
  await ch.prefetch(1000);
  await ch.consume(queue, (m) => {
    if (!m) return;
    got.push({ event: stockChangedEvent.parse(JSON.parse(m.content.toString())), routingKey: m.fields.routingKey, messageId: m.properties.messageId });
    try {
      ch.ack(m);
    } catch {
      // The channel closed under us (the broker went away): the broker re-sends what it did not see acknowledged.
    }
  });
}

export type LedgerRow = { id: number; sku: string; location: string; version: number; onHand: number; reserved: number; kind: string };

export async function ledgerRows(conn: Connection, productIds: number[]): Promise<LedgerRow[]> {
  const rows = (await conn.db.execute(sql`
    SELECT m.id, p.sku, loc.code AS location, m.version, m.on_hand_after, m.reserved_after, m.kind
    FROM stock_movements m JOIN products p ON p.id = m.product_id JOIN locations loc ON loc.id = m.location_id
    WHERE m.product_id IN ${productIds} ORDER BY m.id`)) as unknown as Record<string, string | number>[];
  return rows.map((r) => ({
    id: Number(r.id),
    sku: String(r.sku),
    location: String(r.location),
    version: Number(r.version),
    onHand: Number(r.on_hand_after),
    reserved: Number(r.reserved_after),
    kind: String(r.kind),
  }));
}

// Compares what arrived with the ledger: per bin, first deliveries must run 1, 2, 3... with nothing missing;
// a repeat is only allowed as a re-send of something already delivered (at least once after a reconnect).
// `earlier`: ledger rows from before the consumer was bound, so each bin's first event follows on from them.
export function checkStream(got: Received[], ledger: LedgerRow[], earlier: LedgerRow[] = []) {
  const byId = new Map(ledger.map((r) => [r.id, r]));
  const seen = new Map<string, number>();
  for (const r of earlier) seen.set(`${r.sku}@${r.location}`, Math.max(seen.get(`${r.sku}@${r.location}`) ?? 0, r.version));
  const delivered = new Set<number>();
  const problems: string[] = [];
  let duplicates = 0;
  for (const { event: e } of got) {
    const row = byId.get(e.movementId);
    if (!row) {
      problems.push(`event for unknown movement ${e.movementId}`);
      continue;
    }
    if (row.version !== e.version || row.onHand !== e.onHand || row.reserved !== e.reserved || row.kind !== e.kind) problems.push(`movement ${e.movementId} differs from the ledger`);
    const bin = `${e.sku}@${e.location}`;
    const last = seen.get(bin) ?? 0;
    if (e.version <= last) {
      duplicates++;
      if (!delivered.has(e.movementId)) problems.push(`${bin} v${e.version} after v${last}, never sent before`);
      continue;
    }
    if (e.version !== last + 1) problems.push(`${bin} jumped from v${last} to v${e.version}`);
    seen.set(bin, e.version);
    delivered.add(e.movementId);
  }
  const missing = ledger.filter((r) => !delivered.has(r.id)).length;
  return { problems, missing, duplicates };
}
