// Inbound order throughput of the AMQP connector: a backlog of N "order placed" messages in a real RabbitMQ
// queue, drained by the connector into a fresh database, for several prefetch values; and, as the ceiling, the
// same orders applied by calling the core directly with as many workers as the connector has database connections.
//   npm run bench:amqp -- [--orders 3000] [--prefetch 1,8,16,32,128] [--pool 10] [--products 200] [--outbound 1] [--durable 1]
// AMQP_URL names the broker (default amqp://guest:guest@127.0.0.1:5672); DATABASE_URL a server to use (a scratch
// database is made on it), otherwise an embedded PostgreSQL runs (--durable 0: fsync off).
import { randomBytes, randomUUID } from 'node:crypto';
import os from 'node:os';
import { connect as amqpConnect } from 'amqplib';
import type { Connection } from '@/db/client';
import { locations, products, warehouses } from '@/db/schema';
import { allocateOrder, receive, systemActor } from '@/server/inventory';
import { createAmqpConnector } from '@/server/connectors/amqp/create-amqp-connector';
import { parsePublishers } from '@/server/connectors/amqp/publishers';
import { topologyNames } from '@/server/connectors/amqp/topology';
import { routeNames } from '@/server/connectors/amqp/messages';
import { holdBroker } from '@/server/connectors/amqp/test-broker-lock';
import { metricValue } from '@/server/observability/registry';
import { flag, log, num, printTable } from './support/common';
import { runScenario } from './support/scenario';

const ORDERS = num('orders', 3000);
const PREFETCHES = (flag('prefetch') ?? '1,8,16,32,128').split(',').map(Number);
const POOL = num('pool', 10);
const PRODUCTS = num('products', 200);
const OUTBOUND = flag('outbound') !== '0';
const DURABLE = flag('durable') !== '0';
const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

type Row = { mode: string; prefetch: string; messages: number; seconds: number; perSecond: number; meanMs: number };

runScenario('amqp', { pool: POOL, durable: DURABLE }, async ({ url, conn }) => {
  const rows: Row[] = [];
  // The broker tests restart the broker; they wait while this holds the lock, and this waits for them.
  const releaseBroker = await holdBroker(AMQP_URL, 'shared');
  try {
    const world = await makeWorld(conn);
    log(`${os.cpus().length} cores, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; ${ORDERS} orders per run over ${PRODUCTS} SKUs, pool ${POOL}`);
    rows.push(await direct(conn, world));
    for (const prefetch of PREFETCHES) rows.push(await viaQueue(conn, url, world, prefetch));
  } finally {
    await releaseBroker();
  }
  printTable(
    ['path', 'prefetch', 'messages', 'seconds', 'applied/s', 'mean latency ms'],
    rows.map((r) => [r.mode, r.prefetch, String(r.messages), r.seconds.toFixed(1), r.perSecond.toFixed(0), r.meanMs.toFixed(1)]),
  );
  log(`load after: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
});

type BenchWorld = { warehouse: string; skus: string[] };

async function makeWorld(conn: Connection): Promise<BenchWorld> {
  const code = `B${randomBytes(3).toString('hex').toUpperCase()}`;
  const [wh] = await conn.db.insert(warehouses).values({ code, name: `Bench ${code}` }).returning();
  await conn.db.insert(locations).values([{ warehouseId: wh.id, code: 'A-01', kind: 'storage' }, { warehouseId: wh.id, code: 'PICK-01', kind: 'pick' }]);
  const skus = Array.from({ length: PRODUCTS }, (_, i) => `BENCH-${code}-${i}`);
  await conn.db.insert(products).values(skus.map((sku) => ({ sku, name: sku })));
  const actor = systemActor('bench');
  for (const sku of skus) await receive(conn.db, { sku, warehouse: code, location: 'A-01', qty: 1_000_000 }, { actor });
  return { warehouse: code, skus };
}

// An order of one to three lines over the SKUs, as a shop would send it.
const order = (w: BenchWorld, run: string, i: number) => ({
  reference: `${run}-${i}`,
  channel: 'bench',
  lines: Array.from({ length: 1 + (i % 3) }, (_, k) => ({ sku: w.skus[(i * 7 + k * 13) % w.skus.length], qty: 1 + ((i + k) % 2) })),
});

async function direct(conn: Connection, w: BenchWorld): Promise<Row> {
  const run = `D${randomBytes(3).toString('hex')}`;
  let next = 0;
  let busy = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: POOL }, async () => {
      while (next < ORDERS) {
        const i = next++;
        const t = performance.now();
        await allocateOrder(conn.db, order(w, run, i), { actor: systemActor('bench'), idempotencyKey: randomUUID() });
        busy += performance.now() - t;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { mode: `core, ${POOL} workers`, prefetch: '–', messages: ORDERS, seconds, perSecond: ORDERS / seconds, meanMs: busy / ORDERS };
}

async function viaQueue(conn: Connection, url: string, w: BenchWorld, prefetch: number): Promise<Row> {
  const prefix = `bench-${randomBytes(3).toString('hex')}`;
  const run = `Q${prefetch}-${randomBytes(3).toString('hex')}`;
  const names = topologyNames(prefix);
  // Messages carry the broker user as user_id (the broker checks it); the connector allows that publisher.
  const publisher = decodeURIComponent(new URL(AMQP_URL).username || 'guest');
  const connector = createAmqpConnector({
    db: conn.db,
    databaseUrl: url,
    url: AMQP_URL,
    prefix,
    prefetch,
    inbound: { routes: ['order.placed'] },
    outbound: { enabled: OUTBOUND },
    log: () => {},
  });
  // The backlog first: declared by a connector start, then filled while the connector is stopped.
  await connector.start();
  await waitFor(() => connector.health().inbound.up);
  await connector.stop();
  const broker = await amqpConnect(AMQP_URL);
  broker.on('error', () => {});
  const ch = await broker.createConfirmChannel();
  for (let i = 0; i < ORDERS; i++) {
    const ok = ch.sendToQueue(names.queue('order.placed'), Buffer.from(JSON.stringify(order(w, run, i))), { persistent: true, messageId: randomUUID(), userId: publisher });
    if (!ok) await new Promise((r) => ch.once('drain', r));
  }
  await ch.waitForConfirms();

  const measured = createAmqpConnector({
    db: conn.db,
    databaseUrl: url,
    url: AMQP_URL,
    prefix,
    prefetch,
    inbound: { routes: ['order.placed'] },
    publishers: parsePublishers(`${publisher}:order.placed`),
    outbound: { enabled: OUTBOUND },
    log: () => {},
  });
  const started = performance.now();
  let seconds = 0;
  let dead = 0;
  let busy = 0;
  try {
    await measured.start();
    const { applied, deadLettered, applySeconds } = measured.metrics;
    await waitFor(async () => (await metricValue(applied)) + (await metricValue(deadLettered)) >= ORDERS);
    seconds = (performance.now() - started) / 1000;
    dead = await metricValue(deadLettered);
    busy = await metricValue(applySeconds);
  } finally {
    await measured.stop();
    await measured.stream.drop();
    // One channel per delete: a failed delete closes its channel, and the rest must still go.
    for (const q of [...routeNames.map(names.queue), names.deadLetterQueue]) await broker.createChannel().then((c) => c.deleteQueue(q).then(() => c.close())).catch(() => {});
    for (const x of [names.commands, names.deadLetterExchange, names.stock]) await broker.createChannel().then((c) => c.deleteExchange(x).then(() => c.close())).catch(() => {});
    await broker.close().catch(() => {});
  }
  if (dead) log(`prefetch ${prefetch}: ${dead} messages dead-lettered`);
  return { mode: `queue${OUTBOUND ? ' + outbound stream' : ''}`, prefetch: String(prefetch), messages: ORDERS, seconds, perSecond: ORDERS / seconds, meanMs: (busy * 1000) / ORDERS };
}

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 600_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
