'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { getDb } from '@/db/client';
import { protectedAction } from '@/server/auth/action';
import { apiScopes, createApiKey, listApiKeys, revokeApiKey, setApiKeyLimit } from '@/server/auth/api-keys';
import { InventoryError } from '@/server/inventory/kernel/errors';

// Requests a minute for one key; left empty, the default (RATE_LIMIT_KEY_PER_MIN, 3,000). "5,000" reads as 5000.
const perMinuteField = z
  .string()
  .max(20, 'At most 1,000,000 a minute')
  .default('')
  .transform((s, ctx) => {
    const t = s.replace(/[\s,_]/g, '');
    if (t === '') return null;
    const n = Number(t);
    if (!/^\d+$/.test(t) || n < 1) ctx.addIssue({ code: 'custom', message: 'A whole number of requests a minute, at least 1' });
    else if (n > 1_000_000) ctx.addIssue({ code: 'custom', message: 'At most 1,000,000 a minute' });
    return n;
  });

// Checkboxes arrive as one comma-joined field from the form (see api-key-form.tsx).
const createInput = z.object({
  name: z.string().trim().min(1, 'Give the key a name').max(100, 'At most 100 characters'),
  scopes: z
    .string()
    .max(500, 'Choose from the listed scopes')
    .default('')
    .transform((s) => [...new Set(s.split(',').filter(Boolean))])
    .pipe(z.array(z.enum(apiScopes)).min(1, 'Choose at least one scope')),
  perMinute: perMinuteField,
});

export const createApiKeyAction = protectedAction('admin', createInput, async (input, { user }) => {
  const key = await createApiKey(getDb(), input, user.id);
  revalidatePath('/settings');
  return { message: `Key “${key.name}” created. Copy it now: it is not shown again.`, data: { secret: key.secret } };
});

export const revokeApiKeyAction = protectedAction('admin', z.object({ id: z.uuid('Unknown key') }), async ({ id }) => {
  const revoked = await revokeApiKey(getDb(), id);
  if (!revoked && !(await listApiKeys(getDb())).some((k) => k.id === id)) {
    throw new InventoryError('not_found', 'No API key has that id.', { fields: { id: ['No API key has that id'] } });
  }
  revalidatePath('/settings');
  return { message: revoked ? 'Key revoked. Calls with it are refused from now on.' : 'That key was already revoked.' };
});

// Reaches every app process within the API key cache's few seconds (server/auth/api-keys.ts).
export const setApiKeyLimitAction = protectedAction('admin', z.object({ id: z.uuid('Unknown key'), perMinute: perMinuteField }), async ({ id, perMinute }) => {
  if (!(await setApiKeyLimit(getDb(), id, perMinute))) {
    throw new InventoryError('not_found', 'No API key has that id.', { fields: { id: ['No API key has that id'] } });
  }
  revalidatePath('/settings');
  return { message: perMinute === null ? 'The key now has the default limit.' : `The key may now make ${perMinute.toLocaleString('en')} requests a minute.` };
});
