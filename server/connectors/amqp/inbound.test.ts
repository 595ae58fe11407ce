// Thousands of inbound messages through the real broker into the real database: duplicates, malformed bodies,
// missing ids, schema errors, orders that cannot be filled, unknown SKUs and orders. Every valid message must
// apply exactly once, every bad one must sit in the dead-letter queue with its reason, and the ledger must verify.
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orders } from '@/db/schema';
import { receive, verifyInventory } from '@/server/inventory';
import { metricValue } from '@/server/observability/registry';
import { makeWorld, testActor, testConnection, uid, type World } from '@/server/testing/fixtures';
import { deadLetterEnvelope, type DeadLetterEnvelope } from './messages';
import { brokerUser, deleteTestTopology, holdBroker, startTestConnector, testClient, testPrefix, waitFor } from './test-support';

const conn = testConnection(20);
const prefix = testPrefix();
const channel = `amqp-${uid()}`;
let w: World;
let client: Awaited<ReturnType<typeof testClient>>;
let connector: ReturnType<typeof startTestConnector>;
let releaseBroker: () => Promise<void>;

beforeAll(async () => {
  releaseBroker = await holdBroker('shared');
  client = await testClient();
  w = await makeWorld(conn, { products: 40 });
  // Plenty in A-01 for orders; receipts go to A-02, so its on-hand counts exactly the receipts applied.
  for (const sku of w.skus) await receive(conn.db, { sku, warehouse: w.warehouse, location: 'A-01', qty: 5000 }, { actor: testActor });
  // Retries long enough for a cancellation to wait out its order's placement.
  connector = startTestConnector(conn, { prefix, prefetch: 64, retry: { attempts: 5, baseMs: 50, maxMs: 400 }, outbound: { enabled: false } });
  await connector.start();
  await waitFor(() => connector.health().inbound.up, 'the inbound connection');
});

afterAll(async () => {
  await connector?.stop();
  await connector?.stream.drop();
  await client?.close();
  await deleteTestTopology(prefix);
  await releaseBroker?.();
  await conn.close();
});

type Sent = { queue: string; body: unknown; messageId: string | null; raw?: boolean; expect: 'applied' | string };

describe('inbound messages', { timeout: 300_000 }, () => {
  it('applies every valid message exactly once and dead-letters every bad one with its reason', async () => {
    const q = connector.names.queue;
    const sent: Sent[] = [];
    const add = (s: Sent, copies = 1) => {
      for (let i = 0; i < copies; i++) sent.push(s);
    };
    const at = (i: number) => w.skus[i % w.skus.length];

    // Receipts into A-02: 1000, a tenth of them delivered twice.
    const receipts: { sku: string; qty: number }[] = [];
    for (let i = 0; i < 1000; i++) {
      const body = { sku: at(i), warehouse: w.warehouse, location: 'A-02', qty: 1 + (i % 4), reference: `ASN-${i}` };
      receipts.push(body);
      add({ queue: q('goods.received'), body, messageId: randomUUID(), expect: 'applied' }, i % 10 === 0 ? 2 : 1);
    }
    // Orders: 600 fillable (some delivered twice), 40 that cannot be filled, 20 naming an unknown SKU.
    const placed: string[] = [];
    for (let i = 0; i < 600; i++) {
      const reference = `SO-${i}`;
      placed.push(reference);
      const lines = [{ sku: at(i), qty: 1 + (i % 3) }, ...(i % 4 === 0 ? [{ sku: at(i + 5), qty: 1 }] : [])];
      add({ queue: q('order.placed'), body: { reference, channel, lines }, messageId: randomUUID(), expect: 'applied' }, i % 12 === 0 ? 2 : 1);
    }
    for (let i = 0; i < 40; i++) {
      add({ queue: q('order.placed'), body: { reference: `BIG-${i}`, channel, lines: [{ sku: at(i), qty: 1_000_000 }] }, messageId: randomUUID(), expect: 'insufficient_stock' });
    }
    for (let i = 0; i < 20; i++) {
      add({ queue: q('order.placed'), body: { reference: `GHOST-${i}`, channel, lines: [{ sku: `NOPE-${uid()}`, qty: 1 }] }, messageId: randomUUID(), expect: 'not_found' });
    }
    // Malformed: not JSON, no message id, and bodies the schema refuses.
    for (let i = 0; i < 40; i++) add({ queue: q('order.placed'), body: `{"reference": "broken-${i}", `, raw: true, messageId: randomUUID(), expect: 'malformed_json' });
    for (let i = 0; i < 30; i++) add({ queue: q('goods.received'), body: { sku: at(i), warehouse: w.warehouse, location: 'A-02', qty: 1 }, messageId: null, expect: 'missing_message_id' });
    for (let i = 0; i < 30; i++) add({ queue: q('goods.received'), body: { sku: at(i), warehouse: w.warehouse, location: 'A-02', qty: -3 }, messageId: randomUUID(), expect: 'validation_failed' });
    for (let i = 0; i < 20; i++) add({ queue: q('order.placed'), body: { reference: `EMPTY-${i}`, channel, lines: [] }, messageId: randomUUID(), expect: 'validation_failed' });
    // Adjustments taking more than a bin holds, and counts with a stale expected figure.
    for (let i = 0; i < 30; i++) {
      add({ queue: q('stock.adjusted'), body: { sku: at(i), warehouse: w.warehouse, location: 'PICK-01', delta: -5, reason: 'damaged' }, messageId: randomUUID(), expect: 'insufficient_stock' });
    }
    for (let i = 0; i < 20; i++) {
      add({ queue: q('stock.counted'), body: { sku: at(i), warehouse: w.warehouse, location: 'A-01', counted: 1, expected: 3 }, messageId: randomUUID(), expect: 'conflict' });
    }
    // One message id reused for a different body: the first applies, the second (sent later) is refused.
    const reused = randomUUID();
    add({ queue: q('stock.adjusted'), body: { sku: at(0), warehouse: w.warehouse, location: 'RECV', delta: 3, reason: 'found' }, messageId: reused, expect: 'applied' });
    // Sent once the first round has settled: the same references under new message ids conflict with the orders.
    const later: Sent[] = [
      { queue: q('stock.adjusted'), body: { sku: at(0), warehouse: w.warehouse, location: 'RECV', delta: -3, reason: 'lost' }, messageId: reused, expect: 'idempotency_mismatch' },
      ...Array.from({ length: 20 }, (_, i) => ({
        queue: q('order.placed'),
        body: { reference: `SO-${i * 7}`, channel, lines: [{ sku: at(0), qty: 1 }] },
        messageId: randomUUID(),
        expect: 'conflict',
      })),
    ];

    const started = performance.now();
    // Everything at once, every queue in parallel, shuffled within each queue.
    const byQueue = new Map<string, Sent[]>();
    for (const s of shuffle(sent)) byQueue.set(s.queue, [...(byQueue.get(s.queue) ?? []), s]);
    await Promise.all([...byQueue].map(([queue, list]) => client.publish(queue, list)));
   await waitFor(async () => (await metricValue(connector.metrics.consumed)) >= sent.length, 'every message consumed', 240_000);
    await waitFor(() => connector.health().inbound.inFlight === 0, 'every message settled');
    const seconds = (performance.now() - started) / 1000;
    console.log(`inbound: ${sent.length} messages settled in ${seconds.toFixed(1)} s (${Math.round(sent.length / seconds)} msg/s)`);
    for (const s of later) await client.publish(s.queue, [s]);
    sent.push(...later);
    const dead = await drainDeadLetters(connector.names.deadLetterQueue, sent.filter((s) => s.expect !== 'applied').length);

    // Dead letters: exactly the bad ones, each with its reason, body and queue.
    const expectedByType = new Map<string, number>();
    for (const s of sent.filter((x) => x.expect !== 'applied')) expectedByType.set(s.expect, (expectedByType.get(s.expect) ?? 0) + 1);
    const gotByType = new Map<string, number>();
    for (const d of dead) gotByType.set(d.error.type, (gotByType.get(d.error.type) ?? 0) + 1);
    expect(Object.fromEntries(gotByType)).toEqual(Object.fromEntries(expectedByType));
    for (const d of dead) {
      expect(d.error.message.length).toBeGreaterThan(0);
      expect(d.queue.startsWith(prefix)).toBe(true);
      if (d.error.type === 'malformed_json') expect(d.rawBody).toMatch(/^\{"reference": "broken-/);
      else expect(d.body).toBeTypeOf('object');
      if (d.error.type === 'missing_message_id') expect(d.messageId).toBeNull();
    }
    const short = dead.find((d) => d.error.type === 'insufficient_stock' && d.route === 'order.placed')!;
    expect(short.error.details).toMatchObject({ lines: [expect.objectContaining({ requested: 1_000_000 })] });

    // Receipts: each distinct message once, duplicates and refusals nothing.
    const expectedA02 = new Map<string, number>();
    for (const r of receipts) expectedA02.set(r.sku, (expectedA02.get(r.sku) ?? 0) + r.qty);
    const levels = (await conn.db.execute(sql`
      SELECT p.sku, s.on_hand, s.reserved FROM stock_levels s JOIN products p ON p.id = s.product_id
      WHERE s.location_id = ${w.bins['A-02'].id}`)) as unknown as { sku: string; on_hand: number }[];
    expect(Object.fromEntries(levels.map((l) => [l.sku, l.on_hand]))).toEqual(Object.fromEntries(expectedA02));
    const [{ n: receiptRows }] = (await conn.db.execute(sql`
      SELECT count(*)::int AS n FROM stock_movements WHERE kind = 'receipt' AND location_id = ${w.bins['A-02'].id}`)) as unknown as { n: number }[];
    expect(receiptRows).toBe(1000);

    // Orders: every fillable one exists once, allocated, and nothing else was created in the channel.
    const made = await conn.db.select({ reference: orders.reference, status: orders.status }).from(orders).where(eq(orders.channel, channel));
    expect(made.map((o) => o.reference).sort()).toEqual([...placed].sort());
    expect(made.every((o) => o.status === 'allocated')).toBe(true);
    const [one] = await conn.db.select().from(orders).where(and(eq(orders.channel, channel), eq(orders.reference, 'SO-0')));
    expect(one.createdBy).toBe(`amqp:${brokerUser()}`);

    const report = await verifyInventory(conn.db, { productIds: Object.values(w.productIds) });
    expect(report.checks.filter((c) => c.issues.length)).toEqual([]);

    const m = connector.metrics;
    expect(await metricValue(m.consumed)).toBe(sent.length);
    expect((await metricValue(m.applied)) + (await metricValue(m.deadLettered))).toBe(sent.length);
    expect(await metricValue(m.deadLettered, { queue: q('order.placed'), reason: 'insufficient_stock' })).toBe(40);
  });

  it('dead-letters a cancellation of an unknown order at once, and takes it again once its order exists', async () => {
    const q = connector.names.queue;
    const ghost = randomUUID();
    const retriesBefore = await metricValue(connector.metrics.retries);
    await client.publish(q('order.cancelled'), [{ body: { reference: `NEVER-${uid()}`, channel }, messageId: ghost }]);
    const [d] = await drainDeadLetters(connector.names.deadLetterQueue, 1);
    expect(d).toMatchObject({ messageId: ghost, error: { type: 'not_found' }, attempts: 1, route: 'order.cancelled' });
    // Not held: no wait, no retry.
    expect(await metricValue(connector.metrics.retries)).toBe(retriesBefore);

    // A cancellation that overtook its order is refused the same way; published again after the order, it applies.
    const reference = `LATE-${uid()}`;
    const cancel = { body: { reference, channel }, messageId: randomUUID() };
    await client.publish(q('order.cancelled'), [cancel]);
    await drainDeadLetters(connector.names.deadLetterQueue, 1);
    await client.publish(q('order.placed'), [{ body: { reference, channel, lines: [{ sku: w.skus[0], qty: 2 }] }, messageId: randomUUID() }]);
    await waitFor(async () => (await conn.db.select().from(orders).where(and(eq(orders.channel, channel), eq(orders.reference, reference)))).length === 1, 'the order');
    await client.publish(q('order.cancelled'), [cancel]);
    await waitFor(async () => {
      const [o] = await conn.db.select().from(orders).where(and(eq(orders.channel, channel), eq(orders.reference, reference)));
      return o?.status === 'cancelled';
    }, 'the late cancellation');
  });

  it('answers on replyTo with the outcome, and serves /metrics and /health', async () => {
    const replies = `${prefix}.replies.test`;
    const ch = await client.conn.createChannel();
    await ch.assertQueue(replies, { exclusive: true });
    const got: { correlationId: string; body: { ok: boolean; error?: { type: string } } }[] = [];
    await ch.consume(replies, (m) => m && got.push({ correlationId: m.properties.correlationId, body: JSON.parse(m.content.toString()) }), { noAck: true });
    for (const [cid, qty] of [['ok-1', 1], ['too-many', 1_000_000]] as const) {
      client.ch.sendToQueue(connector.names.queue('order.placed'), Buffer.from(JSON.stringify({ reference: `R-${uid()}`, channel, lines: [{ sku: w.skus[1], qty }] })), {
        messageId: randomUUID(),
        userId: brokerUser(),
        replyTo: replies,
        correlationId: cid,
      });
    }
    await client.ch.waitForConfirms();
    await waitFor(() => got.length === 2, 'two replies');
    expect(Object.fromEntries(got.map((g) => [g.correlationId, g.body.ok]))).toEqual({ 'ok-1': true, 'too-many': false });
    expect(got.find((g) => !g.body.ok)!.body.error!.type).toBe('insufficient_stock');
    await drainDeadLetters(connector.names.deadLetterQueue, 1);

    const base = `http://127.0.0.1:${connector.httpPort}`;
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    process.env.METRICS_TOKEN = 'connector-metrics-token';
    const metrics = await (await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer connector-metrics-token' } })).text();
    delete process.env.METRICS_TOKEN;
    expect(metrics).toMatch(/# TYPE onhand_amqp_inbound_applied_total counter/);
    expect(metrics).toMatch(new RegExp(`onhand_amqp_inbound_dead_lettered_total\\{queue="${prefix}\\.order\\.placed",reason="insufficient_stock"\\} \\d+`));
    expect(metrics).toMatch(/onhand_amqp_inbound_queue_depth\{queue="[^"]+"\} \d+/);
    expect(metrics).toMatch(/onhand_amqp_connection_up\{role="inbound"\} 1/);
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    const said = await health.json();
    expect(said).toMatchObject({ ok: true, inbound: { up: true }, outbound: { enabled: false } });
    // The last errors (hosts, queue names) only with the metrics token.
    expect(JSON.stringify(said)).not.toContain('lastError');
  });
});

// Reads `n` dead letters (and fails if more arrive), checking each against the envelope schema.
async function drainDeadLetters(queue: string, n: number): Promise<DeadLetterEnvelope[]> {
  const ch = await client.conn.createChannel();
  const got: DeadLetterEnvelope[] = [];
  const { consumerTag } = await ch.consume(queue, (m) => m && got.push(deadLetterEnvelope.parse(JSON.parse(m.content.toString()))), { noAck: true });
  await waitFor(() => got.length >= n, `${n} dead letters (have ${got.length})`);
  await new Promise((r) => setTimeout(r, 200));
  await ch.cancel(consumerTag);
  await ch.close();
  expect(got.length).toBe(n);
  return got;
}

function shuffle<T>(a: T[]): T[] {
  const out = [...a];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
