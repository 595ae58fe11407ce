'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { getDb } from '@/db/client';
import { protectedAction } from '@/server/auth/action';
import { placeError } from '@/server/dashboard/form-fields';
import { InventoryError } from '@/server/inventory/kernel/errors';
import { channelInput, deleteChannel, saveChannel } from '@/server/storefront/channel-admin';

export const saveChannelAction = protectedAction('admin', channelInput, async (input) => {
  const { created } = await saveChannel(getDb(), input);
  revalidatePath('/settings/channels');
  return { message: created ? `Channel “${input.key}” created.` : `Channel “${input.key}” saved. Open badges follow within a second.` };
});

export const deleteChannelAction = protectedAction('admin', z.object({ key: z.string().trim().min(1, 'Unknown channel').max(40, 'Unknown channel') }), async ({ key }) => {
  const removed = await deleteChannel(getDb(), key).catch((e: unknown) => {
    throw placeError(e, { invalid_state: 'key' });
  });
  // Nothing to remove: already removed (a second click), or a key that never was; either way the form says so.
  if (!removed) throw new InventoryError('not_found', `No channel “${key}”: it was removed, or never existed.`, { fields: { key: [`No channel “${key}”`] } });
  revalidatePath('/settings/channels');
  return { message: `Channel “${key}” removed: requests naming it are refused from now on.` };
});
