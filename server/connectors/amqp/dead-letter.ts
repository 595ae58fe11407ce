// Builds the dead-letter envelope (the original body with why it was refused) and publishes it with a broker
// confirm: the original is acknowledged only after its dead letter is safely in the queue.
import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import type { DeadLetterEnvelope, Reply } from './messages';
import type { Failure } from './failures';

export type DeadLetterInput = {
  msg: ConsumeMessage;
  route: string;
  queue: string;
  failure: Failure;
  attempts: number;
  body?: unknown;
};

export function deadLetterEnvelope(d: DeadLetterInput): DeadLetterEnvelope {
  const p = d.msg.properties;
  const original: Pick<DeadLetterEnvelope, 'body' | 'rawBody' | 'rawBodyEncoding'> =
    d.body !== undefined ? { body: d.body } : rawBody(d.msg.content);
  return {
    error: { type: d.failure.type, message: d.failure.message, ...(d.failure.details ? { details: d.failure.details } : {}) },
    route: d.route,
    queue: d.queue,
    messageId: typeof p.messageId === 'string' && p.messageId ? p.messageId : null,
    attempts: d.attempts,
    redelivered: d.msg.fields.redelivered,
    deadLetteredAt: new Date().toISOString(),
    ...original,
    properties: {
      correlationId: p.correlationId ?? null,
      appId: p.appId ?? null,
      type: p.type ?? null,
      headers: p.headers ?? {},
    },
  };
}

function rawBody(content: Buffer): Pick<DeadLetterEnvelope, 'rawBody' | 'rawBodyEncoding'> {
  const text = content.toString('utf8');
  return Buffer.from(text, 'utf8').equals(content) ? { rawBody: text, rawBodyEncoding: 'utf8' } : { rawBody: content.toString('base64'), rawBodyEncoding: 'base64' };
}

export function publishDeadLetter(ch: ConfirmChannel, exchange: string, d: DeadLetterInput): Promise<void> {
  const envelope = deadLetterEnvelope(d);
  const p = d.msg.properties;
  return confirmPublish(ch, exchange, d.route, Buffer.from(JSON.stringify(envelope)), {
    persistent: true,
    contentType: 'application/json',
    type: 'onhand.dead-letter',
    messageId: envelope.messageId ?? undefined,
    correlationId: p.correlationId,
    timestamp: Math.floor(Date.now() / 1000),
    // The reason in headers too, so the queue can be browsed or filtered without parsing bodies.
    headers: {
      'x-onhand-error-type': d.failure.type,
      'x-onhand-error-message': d.failure.message.slice(0, 1000),
      'x-onhand-queue': d.queue,
      'x-onhand-route': d.route,
      'x-onhand-attempts': d.attempts,
    },
  });
}

// Best effort and unconfirmed: a lost reply is the publisher's timeout, the outcome itself is safe either way.
export function publishReply(ch: ConfirmChannel, msg: ConsumeMessage, reply: Reply) {
  const to = msg.properties.replyTo;
  if (!to) return;
  try {
    ch.publish('', to, Buffer.from(JSON.stringify(reply)), {
      contentType: 'application/json',
      type: reply.ok ? 'onhand.applied' : 'onhand.refused',
      correlationId: msg.properties.correlationId ?? msg.properties.messageId,
    });
  } catch {
    // channel closed: the message is redelivered and replies again
  }
}

export function confirmPublish(ch: ConfirmChannel, exchange: string, key: string, content: Buffer, options: Parameters<ConfirmChannel['publish']>[3]) {
  return new Promise<void>((resolve, reject) => {
    try {
      ch.publish(exchange, key, content, options, (err) => (err ? reject(err) : resolve()));
    } catch (e) {
      reject(e);
    }
  });
}
