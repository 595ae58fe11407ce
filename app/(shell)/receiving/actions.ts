'use server';

import { z } from 'zod';
import { getDb } from '@/db/client';
import { protectedAction } from '@/server/auth/action';
import { missingField, optionalText, placeError, text, units } from '@/server/dashboard/form-fields';
import { ApprovalRequired, receive, type ReceiveResult } from '@/server/inventory';

const receiveForm = z.object({
  sku: text('Scan a product first'),
  warehouse: text('Choose a warehouse'),
  location: text('Scan the put-away bin'),
  qty: units('a quantity'),
  purchaseOrder: optionalText,
  reference: optionalText,
  note: optionalText,
});

export const receiveAction = protectedAction('staff', receiveForm, async (input, ctx) => {
  try {
    const r = await receive(getDb(), input, { actor: ctx.actor, idempotencyKey: ctx.idempotencyKey });
    const line = r.purchaseOrderLine ? ` (${input.purchaseOrder}: ${r.purchaseOrderLine.received} of ${r.purchaseOrderLine.expected})` : '';
    return { message: `Received ${r.qty} × ${r.sku} into ${r.location}${line}.`, data: r satisfies ReceiveResult };
  } catch (e) {
    // Too many units without a purchase order for staff: nothing applied, a manager decides (no data: not received).
    if (e instanceof ApprovalRequired) return { message: e.message };
    throw placeError(e, { not_found: (d) => ('purchaseOrder' in d ? 'purchaseOrder' : missingField()(d)), invalid_state: 'sku', validation_failed: 'qty' });
  }
});
