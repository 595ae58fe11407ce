'use server';

import { revalidatePath } from 'next/cache';
import { getDb } from '@/db/client';
import { protectedAction } from '@/server/auth/action';
import { placeError } from '@/server/dashboard/form-fields';
import { approveStockChange, decisionInput, rejectStockChange } from '@/server/inventory';

// Managers decide on staff counts and receipts held for approval; checked here whatever the page showed.
export const approveStockChangeAction = protectedAction('manager', decisionInput, async ({ id }, ctx) => {
  try {
    const r = await approveStockChange(getDb(), id, ctx.actor);
    revalidatePath('/approvals');
    return { message: `Request ${id} approved and applied${r.movementId ? ` (movement ${r.movementId})` : ''}.` };
  } catch (e) {
    throw placeError(e, { not_found: 'id', invalid_state: 'id', conflict: 'id', insufficient_stock: 'id' });
  }
});

export const rejectStockChangeAction = protectedAction('manager', decisionInput, async ({ id, reason }, ctx) => {
  try {
    await rejectStockChange(getDb(), id, reason, ctx.actor);
    revalidatePath('/approvals');
    return { message: `Request ${id} rejected.` };
  } catch (e) {
    throw placeError(e, { not_found: 'id', invalid_state: 'id' });
  }
});
