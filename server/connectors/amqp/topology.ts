// Every exchange and queue the connector uses, named from one prefix (tests use a unique prefix per run), and
// declared idempotently on every (re)connect so a broker that lost its definitions gets them back.
import { createHash } from 'node:crypto';
import type { Channel } from 'amqplib';

export type QueueType = 'quorum' | 'classic';

export type Names = {
  prefix: string;
  // Direct exchange other systems may publish commands to, routing key = route name ('order.placed').
  commands: string;
  // Fanout exchange and queue for messages that cannot be applied.
  deadLetterExchange: string;
  deadLetterQueue: string;
  // Topic exchange of outbound stock changes, routing key stock.<warehouse>.<sku>.
  stock: string;
  queue: (route: string) => string;
  // PostgreSQL replication slot of the outbound stream (lower case, digits and _ only).
  slot: string;
};

export function topologyNames(prefix: string): Names {
  return {
    prefix,
    commands: `${prefix}.commands`,
    deadLetterExchange: `${prefix}.dead-letter`,
    deadLetterQueue: `${prefix}.dead-letter`,
    stock: `${prefix}.stock`,
    queue: (route) => `${prefix}.${route}`,
    slot: `${prefix.toLowerCase().replace(/[^a-z0-9_]/g, '_')}_amqp`.slice(0, 63),
  };
}

export type InboundTopology = {
  routes: string[];
  queueType: QueueType;
  // Quorum queues count deliveries: a message that keeps killing its consumer is dead-lettered by the broker.
  deliveryLimit: number;
};

export async function declareInbound(ch: Channel, n: Names, t: InboundTopology) {
  await declareDeadLetter(ch, n);
  await ch.assertExchange(n.commands, 'direct', { durable: true });
  for (const route of t.routes) {
    const args: Record<string, unknown> = { 'x-dead-letter-exchange': n.deadLetterExchange };
    if (t.queueType === 'quorum') Object.assign(args, { 'x-queue-type': 'quorum', 'x-delivery-limit': t.deliveryLimit });
    await ch.assertQueue(n.queue(route), { durable: true, arguments: args });
    await ch.bindQueue(n.queue(route), n.commands, route);
  }
}

export async function declareDeadLetter(ch: Channel, n: Names) {
  await ch.assertExchange(n.deadLetterExchange, 'fanout', { durable: true });
  await ch.assertQueue(n.deadLetterQueue, { durable: true });
  await ch.bindQueue(n.deadLetterQueue, n.deadLetterExchange, '');
}

export async function declareOutbound(ch: Channel, n: Names) {
  await ch.assertExchange(n.stock, 'topic', { durable: true });
}

// Topic routing keys split on '.', so a dot inside a code is escaped ('%2E'); keys longer than the broker's
// 255 bytes fall back to a hash of the SKU.
export function stockRoutingKey(warehouse: string, sku: string): string {
  const key = `stock.${escapeWord(warehouse)}.${escapeWord(sku)}`;
  if (Buffer.byteLength(key) <= 255) return key;
  return `stock.${escapeWord(warehouse).slice(0, 100)}.${hashWord(sku)}`;
}

const escapeWord = (s: string) => s.replace(/%/g, '%25').replace(/\./g, '%2E');

const hashWord = (s: string) => `h${createHash('sha256').update(s).digest('hex').slice(0, 32)}`;

// Tests and operators: remove everything declared under a prefix.
export async function deleteTopology(ch: Channel, n: Names, routes: string[]) {
  for (const route of routes) await ch.deleteQueue(n.queue(route));
  await ch.deleteQueue(n.deadLetterQueue);
  for (const ex of [n.commands, n.deadLetterExchange, n.stock]) await ch.deleteExchange(ex);
}
