'use server';

import { z } from 'zod';
import { getDb } from '@/db/client';
import { protectedAction } from '@/server/auth/action';
import { blankAsMissing, missingField, optionalText, placeError, text } from '@/server/dashboard/form-fields';
import { adjust, adjustmentReasons, MAX_QTY, type AdjustResult } from '@/server/inventory';

const adjustForm = z.object({
  sku: text('Scan the product'),
  warehouse: text('Choose a warehouse'),
  location: text('Scan the bin'),
  delta: z.preprocess(
    blankAsMissing,
    z.coerce
      .number({ error: 'Enter the change' })
      .int('Whole units only')
      .min(-MAX_QTY)
      .max(MAX_QTY)
      .refine((d) => d !== 0, 'The change must not be zero'),
  ),
  reason: z.enum(adjustmentReasons, { error: 'Choose a reason' }),
  reference: optionalText,
  note: optionalText,
});

// Adjustments change stock without a document behind them: managers only, checked here whatever the page showed.
export const adjustAction = protectedAction('manager', adjustForm, async (input, ctx) => {
  try {
    const r = await adjust(getDb(), input, { actor: ctx.actor, idempotencyKey: ctx.idempotencyKey });
    const sign = r.delta > 0 ? '+' : '−';
    return {
      message: `Adjusted ${r.sku} in ${r.location} by ${sign}${Math.abs(r.delta)} (${r.reason}): on hand is now ${r.onHand}.`,
      data: r satisfies AdjustResult,
    };
  } catch (e) {
    throw placeError(e, { insufficient_stock: 'delta', not_found: missingField() });
  }
});
