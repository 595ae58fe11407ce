'use server';

import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { getDb } from '@/db/client';
import { changeOwnPasswordInput } from '@/lib/contracts/people';
import { Refusal } from '@/server/adapters/middle';
import { protectedAction } from '@/server/auth/action';
import { checkPassword, TooManyPasswordFailures } from '@/server/auth/sign-in-limit';
import { requestAddress } from '@/server/http/client-address';
import { InventoryError } from '@/server/inventory/kernel/errors';
import { changeOwnPassword } from '@/server/people/users';

// The one action open to someone still on a one-time password. The session in use stays; every other one ends.
// A wrong current password counts against the same limit as sign-in (per account and per address).
const wrongCurrentPassword = (e: unknown) => e instanceof InventoryError && Boolean((e.details.fields as Record<string, unknown> | undefined)?.currentPassword);

export const changePasswordAction = protectedAction(
  'staff',
  changeOwnPasswordInput,
  async (input, { user, actor }) => {
    const address = requestAddress(await headers());
    await checkPassword(user.email, address, () => changeOwnPassword(getDb(), { ...input, userId: user.id, keepSessionId: user.sessionId }, { actor }), wrongCurrentPassword).catch(
      (e: unknown) => {
        throw e instanceof TooManyPasswordFailures ? new Refusal('rate_limited', 429, e.message, { retryAfter: e.retryAfterSeconds }) : e;
      },
    );
    if (user.mustChangePassword) redirect('/stock');
    return { message: 'Password changed. Your other sessions are signed out.' };
  },
  { beforePasswordChange: true },
);
