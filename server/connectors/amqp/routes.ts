// Each inbound route: its queue's messages go to one core command, unchanged. The core validates them with the
// route's schema (messages.ts) inside runCommand, so a message and a REST body are held to the same rules.
import { and, eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { orders } from '@/db/schema';
import {
  adjust,
  allocateOrder,
  cancelOrder,
  cancelOrderInput,
  count,
  receive,
  transfer,
  type AdjustInput,
  type AllocateOrderInput,
  type CancelOrderInput,
  type CommandOptions,
  type CountInput,
  type ReceiveInput,
  type TransferInput,
} from '@/server/inventory';
import type { RouteName } from './messages';

export type InboundRoute = {
  name: RouteName;
  apply: (db: Db, body: unknown, opts: CommandOptions) => Promise<unknown>;
  // Messages with the same key are applied one after another in delivery order; others run side by side.
  orderingKey: (body: Record<string, unknown>) => string | undefined;
  // What the message names that does not exist (a sentence), or null: checked once before applying, and a
  // message naming something absent is dead-lettered at once, without an idempotency record.
  missing?: (db: Db, body: unknown) => Promise<string | null>;
};

// Read only, and only to decide when to apply: a body the schema refuses is applied at once and refused by the core.
async function missingOrder(db: Db, body: unknown): Promise<string | null> {
  const p = cancelOrderInput.safeParse(body);
  if (!p.success) return null;
  const where = p.data.id ? eq(orders.id, p.data.id) : and(eq(orders.channel, p.data.channel), eq(orders.reference, p.data.reference!));
  if ((await db.select({ id: orders.id }).from(orders).where(where).limit(1)).length) return null;
  const named = p.data.id ? `order ${p.data.id}` : `order ${p.data.reference} on channel ${p.data.channel}`;
  return `No ${named}. Publish the cancellation again once its order.placed has been applied.`;
}

const str = (v: unknown) => (typeof v === 'string' ? v.trim() : undefined);
const bin = (b: Record<string, unknown>) => (str(b.sku) ? `bin:${str(b.warehouse)}:${str(b.location)}:${str(b.sku)}` : undefined);
const order = (b: Record<string, unknown>) =>
  str(b.id) ? `order-id:${str(b.id)}` : str(b.reference) ? `order:${str(b.channel) ?? 'api'}:${str(b.reference)}` : undefined;

export const inboundRoutes: InboundRoute[] = [
  { name: 'order.placed', apply: (db, b, o) => allocateOrder(db, b as AllocateOrderInput, o), orderingKey: order },
  // A cancellation for an order that does not exist (yet) is dead-lettered at once rather than holding a consumer
  // slot while it waits: anyone allowed to cancel could otherwise fill the slots with made-up references.
  { name: 'order.cancelled', apply: (db, b, o) => cancelOrder(db, b as CancelOrderInput, o), orderingKey: order, missing: missingOrder },
  { name: 'goods.received', apply: (db, b, o) => receive(db, b as ReceiveInput, o), orderingKey: bin },
  { name: 'stock.adjusted', apply: (db, b, o) => adjust(db, b as AdjustInput, o), orderingKey: bin },
  { name: 'stock.counted', apply: (db, b, o) => count(db, b as CountInput, o), orderingKey: bin },
  { name: 'stock.transferred', apply: (db, b, o) => transfer(db, b as TransferInput, o), orderingKey: (b) => (str(b.sku) ? `sku:${str(b.sku)}` : undefined) },
];
