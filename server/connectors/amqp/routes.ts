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
  // A precondition that may only be "not yet" true: waited for (bounded, with backoff) before applying. Not a
  // retry of the command: a refusal is stored under the message id and would only be replayed.
  ready?: (db: Db, body: unknown) => Promise<boolean>;
};

// Read only, and only to decide when to apply: a body the schema refuses is applied at once and refused by the core.
async function orderExists(db: Db, body: unknown): Promise<boolean> {
  const p = cancelOrderInput.safeParse(body);
  if (!p.success) return true;
  const where = p.data.id ? eq(orders.id, p.data.id) : and(eq(orders.channel, p.data.channel), eq(orders.reference, p.data.reference!));
  return (await db.select({ id: orders.id }).from(orders).where(where).limit(1)).length > 0;
}

const str = (v: unknown) => (typeof v === 'string' ? v.trim() : undefined);
const bin = (b: Record<string, unknown>) => (str(b.sku) ? `bin:${str(b.warehouse)}:${str(b.location)}:${str(b.sku)}` : undefined);
const order = (b: Record<string, unknown>) =>
  str(b.id) ? `order-id:${str(b.id)}` : str(b.reference) ? `order:${str(b.channel) ?? 'api'}:${str(b.reference)}` : undefined;

export const inboundRoutes: InboundRoute[] = [
  { name: 'order.placed', apply: (db, b, o) => allocateOrder(db, b as AllocateOrderInput, o), orderingKey: order },
  // A cancellation can overtake its order's placement (another queue, another consumer): it waits for the order
  // to exist, and without the order's key, which would hold the placement back behind that very wait.
  { name: 'order.cancelled', apply: (db, b, o) => cancelOrder(db, b as CancelOrderInput, o), orderingKey: () => undefined, ready: orderExists },
  { name: 'goods.received', apply: (db, b, o) => receive(db, b as ReceiveInput, o), orderingKey: bin },
  { name: 'stock.adjusted', apply: (db, b, o) => adjust(db, b as AdjustInput, o), orderingKey: bin },
  { name: 'stock.counted', apply: (db, b, o) => count(db, b as CountInput, o), orderingKey: bin },
  { name: 'stock.transferred', apply: (db, b, o) => transfer(db, b as TransferInput, o), orderingKey: (b) => (str(b.sku) ? `sku:${str(b.sku)}` : undefined) },
];
