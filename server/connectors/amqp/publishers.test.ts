// Who may send what on the real broker: a message without a known publisher, or with a command its publisher may
// not send, is dead-lettered and writes nothing; a made-up user_id is refused by the broker itself; replies go
// only to reply queues; two publishers' message ids never collide; the ledger names the publisher.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { connect } from 'amqplib';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stockMovements } from '@/db/schema';
import { makeWorld, testConnection, uid, type World } from '@/server/testing/fixtures';
import { deadLetterEnvelope, type DeadLetterEnvelope } from './messages';
import { parsePublishers, replyQueuePolicy } from './publishers';
import { brokerUser, deleteTestTopology, holdBroker, rabbitUrl, startTestConnector, testClient, testPrefix, waitFor } from './test-support';

const run = promisify(execFile);
const conn = testConnection();
const prefix = testPrefix();
// A second broker user, made for this test with rabbitmqctl: the shop's warehouse system, allowed receipts only.
const wms = `onhand-test-${uid().toLowerCase()}`;
const wmsPassword = randomUUID();
let w: World;
let client: Awaited<ReturnType<typeof testClient>>;
let wmsClient: Awaited<ReturnType<typeof testClient>>;
let connector: ReturnType<typeof startTestConnector>;
let releaseBroker: () => Promise<void>;

beforeAll(async () => {
  releaseBroker = await holdBroker('shared');
  await run('rabbitmqctl', ['add_user', wms, wmsPassword]);
  await run('rabbitmqctl', ['set_permissions', '-p', '/', wms, '.*', '.*', '.*']);
  client = await testClient();
  const url = new URL(rabbitUrl());
  url.username = wms;
  url.password = wmsPassword;
  wmsClient = await testClient(url.toString());
  w = await makeWorld(conn, { products: 2 });
  connector = startTestConnector(conn, {
    prefix,
    outbound: { enabled: false },
    publishers: parsePublishers(`${brokerUser()}:order.placed,order.cancelled,goods.received;${wms}:goods.received`),
  });
  await connector.start();
  await waitFor(() => connector.health().inbound.up, 'the inbound connection');
});

afterAll(async () => {
  await connector?.stop();
  await connector?.stream.drop();
  await client?.close();
  await wmsClient?.close();
  await deleteTestTopology(prefix);
  await run('rabbitmqctl', ['delete_user', wms]).catch(() => {});
  await releaseBroker?.();
  await conn.close();
});

const movements = async () => {
  const [{ n }] = (await conn.db.execute(sql`SELECT count(*)::int AS n FROM stock_movements WHERE product_id IN ${Object.values(w.productIds)}`)) as unknown as { n: number }[];
  return n;
};

async function deadLetters(n: number): Promise<DeadLetterEnvelope[]> {
  const ch = await client.conn.createChannel();
  const got: DeadLetterEnvelope[] = [];
  const { consumerTag } = await ch.consume(connector.names.deadLetterQueue, (m) => m && got.push(deadLetterEnvelope.parse(JSON.parse(m.content.toString()))), { noAck: true });
  await waitFor(() => got.length >= n, `${n} dead letters`);
  await new Promise((r) => setTimeout(r, 200));
  await ch.cancel(consumerTag);
  await ch.close();
  expect(got).toHaveLength(n);
  return got;
}

describe('AMQP_PUBLISHERS', () => {
  it('reads user:command lists and refuses what it does not know', () => {
    const p = parsePublishers(' shop:order.placed, order.cancelled ; wms:* ');
    expect([...p.get('shop')!]).toEqual(['order.placed', 'order.cancelled']);
    expect(p.get('wms')!.size).toBe(6);
    expect(parsePublishers(undefined).size).toBe(0);
    expect(() => parsePublishers('shop:order.shipped')).toThrow(/not a command/);
    expect(() => parsePublishers('shop')).toThrow(/user:command/);
    const replies = replyQueuePolicy('onhand', 'erp-replies');
    expect([replies('onhand.replies.shop'), replies('erp-replies'), replies('onhand.replies.'), replies('onhand.commands'), replies('orders')]).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
  });
});

describe('inbound authorization on the real broker', () => {
  const receipt = (qty: number) => ({ sku: w.skus[0], warehouse: w.warehouse, location: 'A-01', qty });

  it('dead-letters a message with no publisher, or a command its publisher may not send, and writes nothing', async () => {
    const before = await movements();
    await client.publish(connector.names.queue('goods.received'), [{ body: receipt(5), messageId: randomUUID(), userId: null }]);
    await wmsClient.publish(connector.names.queue('order.placed'), [{ body: { reference: `X-${uid()}`, channel: 'web', lines: [{ sku: w.skus[0], qty: 1 }] }, messageId: randomUUID() }]);
    await client.publish(connector.names.queue('stock.adjusted'), [
      { body: { sku: w.skus[0], warehouse: w.warehouse, location: 'A-01', delta: 50, reason: 'found' }, messageId: randomUUID() },
    ]);
    const dead = await deadLetters(3);
    expect(dead.map((d) => d.error.type).sort()).toEqual(['command_not_allowed', 'command_not_allowed', 'unknown_publisher']);
    expect(await movements()).toBe(before);
  });

  it('cannot claim another user: the broker refuses a user_id that is not the connection’s own', async () => {
    const c = await connect(rabbitUrl());
    c.on('error', () => {});
    const ch = await c.createConfirmChannel();
    const closed = new Promise<Error>((resolve) => ch.on('error', resolve));
    ch.sendToQueue(connector.names.queue('goods.received'), Buffer.from(JSON.stringify(receipt(7))), { messageId: randomUUID(), userId: wms });
    expect((await closed).message).toMatch(/PRECONDITION_FAILED.*user_id/);
    await c.close().catch(() => {});
  });

  it('keeps each publisher’s message ids its own and names the publisher on the ledger row', async () => {
    const before = await movements();
    const id = randomUUID();
    await client.publish(connector.names.queue('goods.received'), [{ body: receipt(2), messageId: id }]);
    await wmsClient.publish(connector.names.queue('goods.received'), [{ body: receipt(3), messageId: id }]);
    await waitFor(async () => (await movements()) === before + 2, 'both receipts');
    const rows = await conn.db.select({ actor: stockMovements.actor, delta: stockMovements.onHandDelta }).from(stockMovements).where(eq(stockMovements.productId, w.productIds[w.skus[0]]));
    const actors = rows.slice(-2).map((r) => `${r.actor}:${r.delta}`).sort();
    expect(actors).toEqual([`system:amqp:${brokerUser()}:2`, `system:amqp:${wms}:3`]);
  });

  it('replies only to a reply queue, never into another queue a message names', async () => {
    const ch = await client.conn.createChannel();
    const allowed = `${prefix}.replies.shop`;
    const victim = `${prefix}-victim-${uid().toLowerCase()}`;
    await ch.assertQueue(allowed, { exclusive: true });
    await ch.assertQueue(victim, { exclusive: true });
    await client.publish(connector.names.queue('goods.received'), [
      { body: receipt(1), messageId: randomUUID(), replyTo: victim, correlationId: 'to-victim' },
      { body: receipt(1), messageId: randomUUID(), replyTo: allowed, correlationId: 'to-replies' },
    ]);
    const got: string[] = [];
    await ch.consume(allowed, (m) => m && got.push(m.properties.correlationId), { noAck: true });
    await waitFor(() => got.length === 1, 'the reply');
    await waitFor(() => connector.health().inbound.inFlight === 0, 'both settled');
    expect(got).toEqual(['to-replies']);
    expect((await ch.checkQueue(victim)).messageCount).toBe(0);
    expect(connector.lines.some((l) => l.includes('no reply to') && l.includes(victim))).toBe(true);
  });
});
