import '#server-only';
import { z } from 'zod';
import type { Db } from '@/db/client';
import type { Allocation } from '../kernel/allocation';
import { runStockChange, type CommandOptions } from '../kernel/command';
import { channel, orderReference, qty, sku, warehouseCode } from '../kernel/schemas';

export const MAX_ORDER_LINES = 500;
export const MAX_HOLDS_PER_ORDER = 100;

export const allocateOrderInput = z.object({
  // The caller's order number, unique within its channel.
  reference: orderReference,
  // Namespaces the reference; when it is a storefront channel's key, the order takes stock only from that channel's
  // warehouses and never its last `buffer` units.
  channel: channel.meta({
    description:
      "Sales channel (default `api`): the reference is unique within it. When it names a storefront channel, the order takes stock only from that channel's warehouses, and never the units it keeps back (its buffer).",
  }),
  // Lines naming the same SKU are added together into one line.
  lines: z
    .array(z.object({ sku, qty }))
    .min(1, 'an order needs at least one line')
    .max(MAX_ORDER_LINES, `an order has at most ${MAX_ORDER_LINES} lines`),
  // Cart holds (POST /reservations ids) this order takes over: their units count towards its lines, in the same
  // transaction, so a checkout never needs stock twice and never lets the held units go in between.
  holds: z
    .array(z.uuid({ error: 'must be a reservation id (UUID)' }))
    .max(MAX_HOLDS_PER_ORDER, `at most ${MAX_HOLDS_PER_ORDER} holds per order`)
    .optional()
    .meta({ description: 'Cart holds (reservation ids) this order takes over: their units count towards its lines in the same transaction.' }),
  // Ship from one place: allocate only in this warehouse's sellable locations. Without it, any warehouse by the rule.
  warehouse: warehouseCode
    .optional()
    .meta({ description: "Allocate only in this warehouse's sellable locations (the order ships from one place). Default: every warehouse, by the allocation rule." }),
});
export type AllocateOrderInput = z.input<typeof allocateOrderInput>;

export type AllocatedLine = { lineNo: number; sku: string; qty: number; allocations: Allocation[] };
export type AllocateOrderResult = { id: string; reference: string; channel: string; status: 'allocated'; lines: AllocatedLine[] };
export type ShortLine = { sku: string; requested: number; available: number };

// Creates the order and holds stock for every line, all or nothing: if one line cannot be filled, nothing is
// written and the error lists each short line with what is available. One call of onhand_allocate_order (migration
// 0027): the lines (two of one item checked as one quantity), the scope, the order row, the cart holds it takes
// over, the allocation rule per line, the level changes, lines and holds, the alerts.
export function allocateOrder(db: Db, input: AllocateOrderInput, opts: CommandOptions): Promise<AllocateOrderResult> {
  return runStockChange(db, { name: 'allocateOrder', schema: allocateOrderInput }, input, opts);
}
