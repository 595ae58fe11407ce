'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { getDb } from '@/db/client';
import { protectedAction } from '@/server/auth/action';
import { apiScopes, createApiKey, listApiKeys, revokeApiKey } from '@/server/auth/api-keys';
import { InventoryError } from '@/server/inventory/kernel/errors';

// Checkboxes arrive as one comma-joined field from the form (see api-key-form.tsx).
const createInput = z.object({
  name: z.string().trim().min(1, 'Give the key a name').max(100, 'At most 100 characters'),
  scopes: z
    .string()
    .max(500, 'Choose from the listed scopes')
    .default('')
    .transform((s) => [...new Set(s.split(',').filter(Boolean))])
    .pipe(z.array(z.enum(apiScopes)).min(1, 'Choose at least one scope')),
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
