// What goes over the wire: the inbound command bodies (the core's own zod schemas, the ones the REST API
// validates with), the outbound stock event, the dead-letter envelope and the optional reply. Examples here
// are the documented formats; the tests publish them.
import { z } from 'zod';
import { movementKindEnum } from '@/db/schema';
import { adjustInput, allocateOrderInput, cancelOrderInput, countInput, receiveInput, transferInput } from '@/server/inventory';

export const inboundMessages = {
  'order.placed': {
    command: 'allocateOrder',
    schema: allocateOrderInput,
    example: { reference: 'SO-1001', channel: 'webshop', lines: [{ sku: 'TSHIRT-RED-M', qty: 2 }] },
  },
  'order.cancelled': {
    command: 'cancelOrder',
    schema: cancelOrderInput,
    example: { reference: 'SO-1001', channel: 'webshop' },
  },
  'goods.received': {
    command: 'receive',
    schema: receiveInput,
    example: { sku: 'TSHIRT-RED-M', warehouse: 'MAIN', location: 'RECV', qty: 24, purchaseOrder: 'PO-77' },
  },
  'stock.adjusted': {
    command: 'adjust',
    schema: adjustInput,
    example: { sku: 'TSHIRT-RED-M', warehouse: 'MAIN', location: 'A-01-03', delta: -1, reason: 'damaged', note: 'torn' },
  },
  'stock.counted': {
    command: 'count',
    schema: countInput,
    example: { sku: 'TSHIRT-RED-M', warehouse: 'MAIN', location: 'A-01-03', counted: 11, expected: 12 },
  },
  'stock.transferred': {
    command: 'transfer',
    schema: transferInput,
    example: { sku: 'TSHIRT-RED-M', from: { warehouse: 'MAIN', location: 'RECV' }, to: { warehouse: 'MAIN', location: 'A-01-03' }, qty: 24 },
  },
} as const;

export type RouteName = keyof typeof inboundMessages;
export const routeNames = Object.keys(inboundMessages) as RouteName[];

// One ledger row, published as it committed: the change and the level after it.
export const stockChangedEvent = z.object({
  type: z.literal('stock.changed'),
  movementId: z.number().int(),
  sku: z.string(),
  warehouse: z.string(),
  location: z.string(),
  kind: z.enum(movementKindEnum.enumValues),
  onHandDelta: z.number().int(),
  reservedDelta: z.number().int(),
  onHand: z.number().int(),
  reserved: z.number().int(),
  available: z.number().int(),
  // Per (sku, warehouse, location): 1, 2, 3, ... with no gaps. A consumer ignores a version it already has.
  version: z.number().int(),
  reason: z.string().nullable(),
  referenceType: z.string().nullable(),
  referenceId: z.string().nullable(),
  note: z.string().nullable(),
  actor: z.string(),
  // Groups the rows one command wrote (a transfer's two sides).
  commandId: z.string(),
  committedAt: z.string(),
  // Position of the commit in PostgreSQL's WAL: increases with commit order across all SKUs.
  lsn: z.string(),
});
export type StockChangedEvent = z.infer<typeof stockChangedEvent>;

export const errorInfo = z.object({ type: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() });
export type ErrorInfo = z.infer<typeof errorInfo>;

export const deadLetterEnvelope = z.object({
  error: errorInfo,
  route: z.string(),
  queue: z.string(),
  messageId: z.string().nullable(),
  // Tries of this delivery (transient failures are retried with backoff before giving up).
  attempts: z.number().int(),
  redelivered: z.boolean(),
  deadLetteredAt: z.string(),
  // The original body: parsed when it was JSON, otherwise as text (or base64 when it was not UTF-8).
  body: z.unknown().optional(),
  rawBody: z.string().optional(),
  rawBodyEncoding: z.enum(['utf8', 'base64']).optional(),
  properties: z.object({
    correlationId: z.string().nullable(),
    appId: z.string().nullable(),
    type: z.string().nullable(),
    headers: z.record(z.string(), z.unknown()),
  }),
});
export type DeadLetterEnvelope = z.infer<typeof deadLetterEnvelope>;

// Sent to the message's replyTo queue, with its correlationId, when a publisher asks for the outcome.
export type Reply = { ok: true; messageId: string; result: unknown } | { ok: false; messageId: string | null; error: ErrorInfo };
