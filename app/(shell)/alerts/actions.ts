'use server';

import { revalidatePath } from 'next/cache';
import { getDb } from '@/db/client';
import { protectedAction } from '@/server/auth/action';
import { setThreshold, setThresholdInput } from '@/server/inventory/thresholds';

export const setThresholdAction = protectedAction('manager', setThresholdInput, async (input) => {
  const row = await setThreshold(getDb(), input);
  revalidatePath('/alerts');
  return { message: `${row.sku}: low-stock threshold is now ${row.threshold}.` };
});
