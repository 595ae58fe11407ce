'use server';

import { APIError } from 'better-auth/api';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import type { ActionState } from '@/lib/contracts/action-state';
import { requestAddress } from '@/server/http/client-address';
import { DEACTIVATED_CODE, DEACTIVATED_MESSAGE, getAuth, sessionHeaders } from '@/server/auth/auth';
import { forgetSession } from '@/server/auth/session';
import { checkPassword, TooManyPasswordFailures } from '@/server/auth/sign-in-limit';
import { fieldErrorsOf } from '@/server/inventory/kernel/errors';

const signInInput = z.object({
  // Bounded (RFC 5321's 254): the address keys the failure counter, which must not hold megabytes per entry.
  email: z.string().max(254, 'At most 254 characters').pipe(z.email('Enter your email address')),
  // better-auth refuses longer ones anyway; saying so here keeps a pasted essay out of the hashing and the logs.
  password: z.string().min(1, 'Enter your password').max(128, 'At most 128 characters'),
});

export async function signIn(_prev: ActionState, formData: FormData): Promise<ActionState> {
  const parsed = signInInput.safeParse({ email: formData.get('email'), password: formData.get('password') });
  if (!parsed.success) {
    return { status: 'error', message: 'Check the highlighted fields.', fieldErrors: fieldErrorsOf(parsed.error), at: Date.now() };
  }
  const h = await headers();
  const address = requestAddress(h);
  try {
    await checkPassword(parsed.data.email, address, () => getAuth().api.signInEmail({ body: parsed.data, headers: sessionHeaders(h, address) }));
  } catch (e) {
    if (e instanceof TooManyPasswordFailures) return { status: 'error', message: e.message, at: Date.now() };
    // Only after the right password: a deactivated user is told so (and it is not counted as a guess).
    if (e instanceof APIError && (e.body as { code?: string } | undefined)?.code === DEACTIVATED_CODE) {
      return { status: 'error', message: DEACTIVATED_MESSAGE, at: Date.now() };
    }
    if (e instanceof APIError) return { status: 'error', message: 'Wrong email or password.', at: Date.now() };
    throw e;
  }
  redirect('/stock');
}

export async function signOut(): Promise<void> {
  const h = await headers();
  await getAuth().api.signOut({ headers: h });
  forgetSession(h);
  redirect('/sign-in');
}
