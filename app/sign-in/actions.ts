'use server';

import { APIError } from 'better-auth/api';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import type { ActionState } from '@/lib/contracts/action-state';
import { addressFrom } from '@/server/http/rate-limit';
import { DEACTIVATED_CODE, DEACTIVATED_MESSAGE, getAuth } from '@/server/auth/auth';
import { signInLimiter } from '@/server/auth/sign-in-limit';
import { fieldErrorsOf } from '@/server/inventory/kernel/errors';

const signInInput = z.object({
  email: z.email('Enter your email address'),
  // better-auth refuses longer ones anyway; saying so here keeps a pasted essay out of the hashing and the logs.
  password: z.string().min(1, 'Enter your password').max(128, 'At most 128 characters'),
});

export async function signIn(_prev: ActionState, formData: FormData): Promise<ActionState> {
  const parsed = signInInput.safeParse({ email: formData.get('email'), password: formData.get('password') });
  if (!parsed.success) {
    return { status: 'error', message: 'Check the highlighted fields.', fieldErrors: fieldErrorsOf(parsed.error), at: Date.now() };
  }
  const h = await headers();
  const address = addressFrom(h.get('x-forwarded-for'), h.get('x-real-ip') ?? 'unknown');
  const wait = signInLimiter().retryAfter(parsed.data.email, address);
  if (wait > 0) {
    return { status: 'error', message: `Too many failed attempts. Try again in ${wait < 90 ? `${wait} seconds` : `${Math.ceil(wait / 60)} minutes`}.`, at: Date.now() };
  }
  try {
    await getAuth().api.signInEmail({ body: parsed.data, headers: h });
  } catch (e) {
    // Only after the right password: a deactivated user is told so, and it is not a guess to count.
    if (e instanceof APIError && (e.body as { code?: string } | undefined)?.code === DEACTIVATED_CODE) {
      return { status: 'error', message: DEACTIVATED_MESSAGE, at: Date.now() };
    }
    if (e instanceof APIError) {
      const tooMany = e.statusCode === 429;
      if (!tooMany) signInLimiter().failed(parsed.data.email, address);
      return {
        status: 'error',
        message: tooMany ? 'Too many attempts. Wait a minute and try again.' : 'Wrong email or password.',
        at: Date.now(),
      };
    }
    throw e;
  }
  redirect('/stock');
}

export async function signOut(): Promise<void> {
  await getAuth().api.signOut({ headers: await headers() });
  redirect('/sign-in');
}
