'use server';

import { z } from 'zod';
import { getDb } from '@/db/client';
import { protectedAction } from '@/server/auth/action';
import { placeError } from '@/server/dashboard/form-fields';
import { cancelOrder } from '@/server/inventory/commands/cancel-order';

// Cancelling gives the order's stock back to everyone else: a manager's call, as adjusting stock is.
export const cancelOrderAction = protectedAction('manager', z.object({ orderId: z.uuid({ error: 'Choose an order' }) }), async ({ orderId }, ctx) => {
  try {
    const r = await cancelOrder(getDb(), { id: orderId }, { actor: ctx.actor, idempotencyKey: ctx.idempotencyKey });
    const units = r.released.reduce((s, x) => s + x.qty, 0);
    const staged = r.released.filter((x) => x.staged).reduce((s, x) => s + x.qty, 0);
    const putAway = staged ? ` ${staged} already picked wait in shipping to be put away.` : '';
    return { message: `Cancelled ${r.reference}: ${units} units released.${putAway}` };
  } catch (e) {
    throw placeError(e, { invalid_state: 'orderId', not_found: 'orderId' });
  }
});
