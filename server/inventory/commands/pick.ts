import '#server-only';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { runStockChange, type CommandOptions } from '../kernel/command';
import type { LineSummary } from '../kernel/orders';
import { channel, exactlyOneOrderRef, locationRef, orderId, orderReference, qty, sku } from '../kernel/schemas';

export const pickInput = z
  .object({ orderId: orderId.optional(), reference: orderReference.optional(), channel, sku, ...locationRef, qty })
  .refine((o) => exactlyOneOrderRef(o.orderId, o.reference), {
    message: 'give either orderId or reference (with channel)',
    path: ['orderId'],
  });
export type PickInput = z.input<typeof pickInput>;

export type PickResult = {
  orderId: string;
  reference: string;
  status: 'picking' | 'picked';
  sku: string;
  qty: number;
  from: { warehouse: string; location: string; onHand: number; available: number };
  // The shipping location the units now wait in, still reserved for the order until it ships.
  to: { warehouse: string; location: string };
  line: LineSummary;
  movementIds: number[];
};

// Picks units of an order line from the bin where the line holds them (never from elsewhere: medusajs/medusa#14987).
// The bin loses on_hand and reserved ('pick'); the warehouse's shipping location gains both ('staged'), with a
// hold for the line there, so staged stock stays unavailable and every reserved unit has a reservation row.
// One call of onhand_pick (migration 0026).
export function pick(db: Db, input: PickInput, opts: CommandOptions): Promise<PickResult> {
  return runStockChange(db, { name: 'pick', schema: pickInput }, input, opts);
}
