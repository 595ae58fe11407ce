// The inbound consumer: one channel per route queue with a prefetch window, each message applied through its
// core command with the message id as the idempotency key, and acknowledged only after that transaction has
// committed. Refusals go to the dead-letter queue with the reason; transient failures are retried with backoff,
// then dead-lettered. A redelivered message replays the first outcome from the idempotency record.
import type { Channel, ChannelModel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import type { Db } from '@/db/client';
import type { Actor } from '@/server/inventory';
import { backoffDelay, sleep, type Backoff } from './backoff';
import { publishDeadLetter, publishReply } from './dead-letter';
import { classify, MessageRefused, type Failure } from './failures';
import type { Reply } from './messages';
import { createKeyedSerializer } from './keyed-serializer';
import type { ConnectorMetrics } from './metrics';
import type { Publishers } from './publishers';
import type { InboundRoute } from './routes';
import type { Names } from './topology';

export type RetryPolicy = Backoff & { attempts: number };

export type InboundOptions = {
  db: Db;
  names: Names;
  routes: InboundRoute[];
  prefetch: number;
  retry: RetryPolicy;
  maxBodyBytes: number;
  // Who may send which command (AMQP_PUBLISHERS), and which queues may be replied to.
  publishers: Publishers;
  replyAllowed: (queue: string) => boolean;
  metrics: ConnectorMetrics;
  log: (line: string) => void;
};

export type Inbound = {
  attach: (conn: ChannelModel, recycle: (reason: string) => void) => Promise<void>;
  // Stops taking deliveries and waits (up to timeoutMs) for the messages in hand to settle.
  drain: (timeoutMs: number) => Promise<void>;
  readonly inFlight: number;
};

type Attachment = { open: boolean; consumers: { ch: Channel; tag: string }[]; out: ConfirmChannel };
type Outcome = { kind: 'applied'; result: unknown } | { kind: 'failed'; failure: Failure; attempts: number } | { kind: 'abandoned' };

export function createInbound(o: InboundOptions): Inbound {
  const serializer = createKeyedSerializer();
  let current: Attachment | null = null;
  let inFlight = 0;
  let draining = false;
  const idle: (() => void)[] = [];

  async function attach(conn: ChannelModel, recycle: (reason: string) => void) {
    const out = await conn.createConfirmChannel();
    const att: Attachment = { open: true, consumers: [], out };
    const closed = (what: string) => () => {
      att.open = false;
      if (!draining) recycle(`${what} closed`);
    };
    out.on('error', (e: Error) => o.log(`inbound: dead-letter channel error: ${e.message}`));
    out.on('close', closed('dead-letter channel'));
    current = att;
    for (const route of o.routes) {
      const queue = o.names.queue(route.name);
      const ch = await conn.createChannel();
      ch.on('error', (e: Error) => o.log(`inbound: channel error on ${queue}: ${e.message}`));
      ch.on('close', closed(`channel of ${queue}`));
      await ch.prefetch(o.prefetch);
      const { consumerTag } = await ch.consume(
        queue,
        (msg) => {
          // null: the broker cancelled the consumer (queue deleted); start over on a new connection.
          if (!msg) return recycle(`consumer of ${queue} cancelled by the broker`);
          void handle(att, ch, route, msg);
        },
        { noAck: false },
      );
      att.consumers.push({ ch, tag: consumerTag });
    }
  }

  async function handle(att: Attachment, ch: Channel, route: InboundRoute, msg: ConsumeMessage) {
    const queue = o.names.queue(route.name);
    const labels = { queue };
    inFlight++;
    o.metrics.consumed.inc(labels);
    if (msg.fields.redelivered) o.metrics.redelivered.inc(labels);
    const started = performance.now();
    let body: unknown;
    try {
      const messageId = msg.properties.messageId;
      let outcome: Outcome;
      try {
        // Parsed first, so that even a message refused for its missing id is dead-lettered with its body.
        body = parseBody(msg.content, o.maxBodyBytes);
        const publisher = publisherOf(msg, route);
        if (typeof messageId !== 'string' || !messageId.trim()) {
          throw new MessageRefused('missing_message_id', 'The message has no messageId property; it is the idempotency key, so it is required.');
        }
        const key = body && typeof body === 'object' ? route.orderingKey(body as Record<string, unknown>) : undefined;
        outcome = await serializer.run(key, () => applyWithRetry(att, route, queue, body, messageId, publisher));
      } catch (e) {
        outcome = { kind: 'failed', failure: classify(e), attempts: 1 };
      }
      if (outcome.kind === 'abandoned') return;
      if (outcome.kind === 'applied') {
        reply(att, msg, { ok: true, messageId: messageId as string, result: outcome.result });
        if (settle(ch, msg)) {
          o.metrics.applied.inc(labels);
          o.metrics.applySeconds.inc(labels, (performance.now() - started) / 1000);
        }
        return;
      }
      const { failure, attempts } = outcome;
      await publishDeadLetter(att.out, o.names.deadLetterExchange, { msg, route: route.name, queue, failure, attempts, body });
      reply(att, msg, { ok: false, messageId: (messageId as string) || null, error: { type: failure.type, message: failure.message, details: failure.details } });
      if (settle(ch, msg)) o.metrics.deadLettered.inc({ queue, reason: failure.type });
      if (failure.transient) o.log(`inbound: ${queue} message ${messageId} dead-lettered after ${attempts} attempts: ${failure.message}`);
    } catch (e) {
      // The dead letter was not confirmed: the message goes back to its queue (or comes back with the connection).
      o.log(`inbound: ${queue} message left for redelivery: ${e instanceof Error ? e.message : e}`);
      requeue(ch, msg);
    } finally {
      inFlight--;
      if (inFlight === 0) idle.splice(0).forEach((f) => f());
    }
  }

  // The broker-checked user the message was published as, if AMQP_PUBLISHERS lets it send this command.
  function publisherOf(msg: ConsumeMessage, route: InboundRoute): string {
    const user: unknown = msg.properties.userId;
    const allowed = typeof user === 'string' ? o.publishers.get(user) : undefined;
    if (typeof user !== 'string' || !allowed) {
      throw new MessageRefused('unknown_publisher', 'Publish with the user_id property set to your broker user, one listed in AMQP_PUBLISHERS.');
    }
    if (!allowed.has(route.name)) throw new MessageRefused('command_not_allowed', `Publisher ${user} may not send ${route.name} (AMQP_PUBLISHERS).`);
    return user;
  }

  function reply(att: Attachment, msg: ConsumeMessage, r: Reply) {
    const to = msg.properties.replyTo;
    if (!to) return;
    if (!o.replyAllowed(to)) return o.log(`inbound: no reply to ${JSON.stringify(String(to).slice(0, 200))}: not a reply queue (<prefix>.replies.* or AMQP_REPLY_QUEUES)`);
    publishReply(att.out, msg, r);
  }

  async function applyWithRetry(att: Attachment, route: InboundRoute, queue: string, body: unknown, messageId: string, publisher: string): Promise<Outcome> {
    // The publisher is the actor: its name is on every ledger row, and its message ids are its own idempotency scope.
    const actor: Actor = { kind: 'system', id: `amqp:${publisher}`, label: `amqp:${publisher}` };
    // Not held until it may exist: a message for something absent is refused at once and frees its consumer slot.
    // The refusal is not stored under the message id, so the same message may be published again later.
    const missing = route.missing && (await route.missing(o.db, body).catch(() => null));
    if (missing) return { kind: 'failed', failure: classify(new MessageRefused('not_found', missing)), attempts: 1 };
    for (let attempt = 1; ; attempt++) {
      // The channel is gone: the broker redelivers this message on the next connection; do not apply it twice here.
      if (!att.open) return { kind: 'abandoned' };
      try {
        return { kind: 'applied', result: await route.apply(o.db, body, { actor, idempotencyKey: messageId }) };
      } catch (e) {
        const failure = classify(e);
        if (!failure.transient || attempt >= o.retry.attempts) return { kind: 'failed', failure, attempts: attempt };
        o.metrics.retries.inc({ queue });
        await sleep(backoffDelay(o.retry, attempt - 1));
      }
    }
  }

  return {
    attach,
    async drain(timeoutMs: number) {
      draining = true;
      const att = current;
      if (att) await Promise.all(att.consumers.map((c) => c.ch.cancel(c.tag).catch(() => {})));
      if (inFlight > 0) await Promise.race([new Promise<void>((r) => idle.push(r)), sleep(timeoutMs)]);
    },
    get inFlight() {
      return inFlight;
    },
  };
}

function parseBody(content: Buffer, maxBytes: number): unknown {
  if (content.length > maxBytes) throw new MessageRefused('payload_too_large', `The body is ${content.length} bytes; at most ${maxBytes} are accepted.`);
  try {
    return JSON.parse(content.toString('utf8'));
  } catch (e) {
    throw new MessageRefused('malformed_json', `The body is not JSON: ${e instanceof Error ? e.message : e}`);
  }
}

function requeue(ch: Channel, msg: ConsumeMessage) {
  try {
    ch.nack(msg, false, true);
  } catch {
    // channel gone: the broker requeues it anyway
  }
}

// Acknowledges on the channel that delivered the message; false if that channel is gone (it comes back redelivered).
function settle(ch: Channel, msg: ConsumeMessage): boolean {
  try {
    ch.ack(msg);
    return true;
  } catch {
    return false;
  }
}
