'use server';

import { z } from 'zod';
import { getDb } from '@/db/client';
import { protectedAction } from '@/server/auth/action';
import { blankAsMissing, missingField, optionalText, placeError, text } from '@/server/dashboard/form-fields';
import { ApprovalRequired, closeCount, count, InventoryError, MAX_QTY, type CloseCountResult, type CountResult } from '@/server/inventory';

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

// Closing a bin's count: the screen sends the products its snapshot of the bin held that were not counted, each with
// the figure it had, as JSON in one field (a form carries strings); the core counts each as 0 in one transaction.
const closeForm = z.object({
  warehouse: text('Choose a warehouse'),
  location: text('Scan the bin'),
  lines: z.preprocess(
    (v) => {
      try {
        return typeof v === 'string' ? JSON.parse(v) : v;
      } catch {
        return v;
      }
    },
    z.array(z.object({ sku: z.string(), expected: z.number() }), { error: 'List the products to set to 0' }),
  ),
  note: optionalText,
});

export type CloseOutcome =
  | ({ kind: 'closed' } & CloseCountResult)
  | { kind: 'changed'; changed: { sku: string; expected: number; current: number }[] }
  | { kind: 'pending'; requestId: number };

export const closeCountAction = protectedAction('staff', closeForm, async (input, ctx) => {
  try {
    const r = await closeCount(getDb(), input, { actor: ctx.actor, idempotencyKey: ctx.idempotencyKey });
    const n = r.lines.length;
    return { message: `Closed the count of ${r.location}: ${n} unscanned product${n === 1 ? '' : 's'} set to 0.`, data: { kind: 'closed', ...r } as CloseOutcome };
  } catch (e) {
    if (e instanceof ApprovalRequired) return { message: e.message, data: { kind: 'pending', requestId: e.requestId } as CloseOutcome };
    // Stock moved since the bin was scanned: nothing was zeroed; the counter recounts what changed.
    if (e instanceof InventoryError && e.type === 'conflict') {
      return { message: e.message, data: { kind: 'changed', changed: e.details.changed } as CloseOutcome };
    }
    throw placeError(e, { not_found: missingField() });
  }
});
