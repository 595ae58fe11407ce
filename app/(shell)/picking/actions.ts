'use server';

import { z } from 'zod';
import { getDb } from '@/db/client';
import { protectedAction } from '@/server/auth/action';
import { missingField, optionalText, placeError, text, units } from '@/server/dashboard/form-fields';
import { pick, shipOrder, shortPick, shortPickReasons, type PickResult, type ShipOrderResult, type ShortPickResult } from '@/server/inventory';

const orderId = z.uuid({ error: 'Choose an order' });
const line = { orderId, sku: text('Scan the product'), warehouse: text('Choose a warehouse'), location: text('Scan the bin') };
// An unknown order is the order field's; an unknown product or bin, theirs.
const notFoundAt = (d: Record<string, unknown>) => ('order' in d ? 'orderId' : missingField()(d));
const opts = (ctx: { actor: import('@/server/inventory').Actor; idempotencyKey?: string }) => ({ actor: ctx.actor, idempotencyKey: ctx.idempotencyKey });

export const pickAction = protectedAction('staff', z.object({ ...line, qty: units('the quantity picked') }), async (input, ctx) => {
  try {
    const r = await pick(getDb(), input, opts(ctx));
    return { message: `Picked ${r.qty} × ${r.sku} from ${r.from.location} for ${r.reference}.`, data: r satisfies PickResult };
  } catch (e) {
    throw placeError(e, { insufficient_stock: 'qty', not_found: notFoundAt, invalid_state: 'sku' });
  }
});

const shortPickForm = z.object({
  ...line,
  qty: units('how many are missing'),
  reason: z.enum(shortPickReasons, { error: 'Choose what is wrong' }),
  note: optionalText,
});

export const shortPickAction = protectedAction('staff', shortPickForm, async (input, ctx) => {
  try {
    const r = await shortPick(getDb(), input, opts(ctx));
    const where = r.reallocated.map((a) => `${a.qty} in ${a.location}`).join(', ');
    const message =
      r.outcome === 'reallocated'
        ? `Recorded ${r.qty} missing in ${r.writtenOff.location}; pick them from ${where} instead.`
        : r.outcome === 'partly_reallocated'
          ? `Recorded ${r.qty} missing in ${r.writtenOff.location}; ${where} re-held, ${r.shortQty} left short for a manager.`
          : `Recorded ${r.qty} missing in ${r.writtenOff.location}; no other stock, so the line is ${r.shortQty} short for a manager.`;
    return { message, data: r satisfies ShortPickResult };
  } catch (e) {
    throw placeError(e, { insufficient_stock: 'qty', not_found: notFoundAt, invalid_state: 'sku' });
  }
});

export const shipOrderAction = protectedAction('staff', z.object({ orderId }), async (input, ctx) => {
  try {
    const r = await shipOrder(getDb(), input, opts(ctx));
    const units = r.shipments.reduce((s, x) => s + x.qty, 0);
    return { message: `Shipped ${r.reference}: ${units} units.`, data: r satisfies ShipOrderResult };
  } catch (e) {
    throw placeError(e, { invalid_state: 'orderId', not_found: 'orderId' });
  }
});
