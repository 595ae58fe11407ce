'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { getDb } from '@/db/client';
import { protectedAction } from '@/server/auth/action';
import { channelInput, deleteChannel, saveChannel } from '@/server/storefront/channel-admin';

export const saveChannelAction = protectedAction('admin', channelInput, async (input) => {
  const { created } = await saveChannel(getDb(), input);
  revalidatePath('/settings/channels');
  return { message: created ? `Channel “${input.key}” created.` : `Channel “${input.key}” saved. Open badges follow within a second.` };
});

export const deleteChannelAction = protectedAction('admin', z.object({ key: z.string().trim().min(1, 'Unknown channel').max(40, 'Unknown channel') }), async ({ key }) => {
  const removed = await deleteChannel(getDb(), key);
  revalidatePath('/settings/channels');
  return { message: removed ? `Channel “${key}” removed: requests naming it are refused from now on.` : 'That channel was already removed.' };
});
