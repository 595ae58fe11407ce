'use server';

import { redirect } from 'next/navigation';
import { getDb } from '@/db/client';
import { changeOwnPasswordInput } from '@/lib/contracts/people';
import { protectedAction } from '@/server/auth/action';
import { changeOwnPassword } from '@/server/people/users';

// The one action open to someone still on a one-time password. The session in use stays; every other one ends.
export const changePasswordAction = protectedAction(
  'staff',
  changeOwnPasswordInput,
  async (input, { user, actor }) => {
    await changeOwnPassword(getDb(), { ...input, userId: user.id, keepSessionId: user.sessionId }, { actor });
    if (user.mustChangePassword) redirect('/stock');
    return { message: 'Password changed. Your other sessions are signed out.' };
  },
  { beforePasswordChange: true },
);
