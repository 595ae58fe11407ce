'use server';

import { revalidatePath } from 'next/cache';
import { getDb } from '@/db/client';
import { createPersonInput, resetPasswordInput, setActiveInput, setRoleInput, type OneTimePassword } from '@/lib/contracts/people';
import { roleLabel } from '@/lib/contracts/roles';
import { protectedAction } from '@/server/auth/action';
import { createPerson, resetPassword, setActive, setRole } from '@/server/people/users';

const PAGE = '/settings/people';

export const createPersonAction = protectedAction('admin', createPersonInput, async (input, { actor }) => {
  const { person, oneTimePassword } = await createPerson(getDb(), input, { actor });
  revalidatePath(PAGE);
  if (!oneTimePassword) return { message: `${person.name} can sign in as ${person.email} with the password you chose, and must change it at first sign-in.` };
  const data: OneTimePassword = { email: person.email, oneTimePassword };
  return { message: `${person.name} can sign in as ${person.email} with this one-time password. Copy it now: it is not shown again.`, data };
});

export const setRoleAction = protectedAction('admin', setRoleInput, async (input, { actor }) => {
  const person = await setRole(getDb(), input, { actor });
  revalidatePath(PAGE);
  return { message: `${person.name} is now ${roleLabel[person.role]}.` };
});

export const setActiveAction = protectedAction('admin', setActiveInput, async (input, { actor }) => {
  const person = await setActive(getDb(), input, { actor });
  revalidatePath(PAGE);
  return { message: person.active ? `${person.name} can sign in again.` : `${person.name} is deactivated and signed out everywhere.` };
});

export const resetPasswordAction = protectedAction('admin', resetPasswordInput, async (input, { actor }) => {
  const { person, oneTimePassword } = await resetPassword(getDb(), input, { actor });
  revalidatePath(PAGE);
  const data: OneTimePassword = { email: person.email, oneTimePassword };
  return { message: `${person.name} is signed out everywhere. Their new one-time password is shown once:`, data };
});
