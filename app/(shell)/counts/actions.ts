'use server';

import { z } from 'zod';
import { getDb } from '@/db/client';
import { protectedAction } from '@/server/auth/action';
import { blankAsMissing, missingField, optionalText, placeError, text } from '@/server/dashboard/form-fields';
import { ApprovalRequired, count, InventoryError, MAX_QTY, type CountResult } from '@/server/inventory';

// A blank figure is not a count of zero: it must be entered.
const figure = (what: string) =>
  z.preprocess(blankAsMissing, z.coerce.number({ error: `Enter ${what}` }).int('Whole units only').min(0, '0 or more').max(MAX_QTY));

const countForm = z.object({
  sku: text('Scan the product'),
  warehouse: text('Choose a warehouse'),
  location: text('Scan the bin'),
  counted: figure('what you counted'),
  // The on-hand figure when the count began: the count applies only if it is still current (compare-and-set).
  expected: figure('the starting figure'),
  note: optionalText,
});

export type CountOutcome =
  | ({ kind: 'counted' } & CountResult)
  | { kind: 'conflict'; sku: string; location: string; counted: number; expected: number; current: number }
  // Beyond the tolerance for staff: nothing applied, a manager decides (Approvals).
  | { kind: 'pending'; requestId: number; sku: string; location: string; counted: number };

export const countAction = protectedAction('staff', countForm, async (input, ctx) => {
  try {
    const r = await count(getDb(), input, { actor: ctx.actor, idempotencyKey: ctx.idempotencyKey });
    const diff = r.delta === 0 ? 'no difference' : r.delta > 0 ? `${r.delta} more than recorded` : `${-r.delta} fewer than recorded`;
    return { message: `Counted ${r.counted} × ${r.sku} in ${r.location}: ${diff}.`, data: { kind: 'counted', ...r } as CountOutcome };
  } catch (e) {
    if (e instanceof ApprovalRequired) {
      return { message: e.message, data: { kind: 'pending', requestId: e.requestId, sku: input.sku, location: input.location, counted: input.counted } as CountOutcome };
    }
    // Stock moved since the count began: not a failure but a question for the counter, with the new figure.
    if (e instanceof InventoryError && e.type === 'conflict') {
      const data: CountOutcome = {
        kind: 'conflict',
        sku: input.sku,
        location: input.location,
        counted: input.counted,
        expected: input.expected,
        current: Number(e.details.current),
      };
      return { message: e.message, data };
    }
    throw placeError(e, { not_found: missingField(), invalid_state: 'counted' });
  }
});
