// People: the users who sign in to the dashboard, as the admin's screens and the account page see them. Forms
// arrive as strings, so every field is text here; the core checks the rules that need the database.
import { z } from 'zod';
import type { Role } from './roles';

export type Person = {
  id: string;
  name: string;
  email: string;
  role: Role;
  active: boolean;
  mustChangePassword: boolean;
  lastSignedInAt: string | null;
  createdAt: string;
};

export const MIN_PASSWORD = 10;
export const MAX_PASSWORD = 128;

const role = z.enum(['staff', 'manager', 'admin'], { error: 'Choose staff, manager or admin' });
const userId = z.string({ error: 'Unknown user' }).trim().min(1, 'Unknown user').max(200, 'Unknown user');

export const personName = z.string({ error: 'Enter a name' }).trim().min(1, 'Enter a name').max(100, 'At most 100 characters');
export const personEmail = z
  .string({ error: 'Enter an e-mail address' })
  .trim()
  .toLowerCase()
  .max(254, 'At most 254 characters')
  .pipe(z.email('Enter a valid e-mail address'));

// The length limits; weakness that needs more than the text itself (the e-mail, common passwords) is the core's.
export const newPassword = z
  .string({ error: 'Enter a password' })
  .min(MIN_PASSWORD, `At least ${MIN_PASSWORD} characters`)
  .max(MAX_PASSWORD, `At most ${MAX_PASSWORD} characters`);

// An empty password field means "generate a one-time password for me".
export const createPersonInput = z.object({
  name: personName,
  email: personEmail,
  role,
  password: z
    .string()
    .optional()
    .transform((s) => (s ? s : undefined))
    .pipe(newPassword.optional()),
});

export const setRoleInput = z.object({ userId, role });
// A form sends "true" or "false"; the core takes either that or a boolean.
export const setActiveInput = z.object({
  userId,
  active: z.union([z.boolean(), z.enum(['true', 'false']).transform((s) => s === 'true')], { error: 'Say active or not' }),
});
export const resetPasswordInput = z.object({ userId });
export const changeOwnPasswordInput = z
  .object({
    currentPassword: z.string({ error: 'Enter your current password' }).min(1, 'Enter your current password').max(MAX_PASSWORD, `At most ${MAX_PASSWORD} characters`),
    newPassword,
    confirmPassword: z.string({ error: 'Repeat the new password' }),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { path: ['confirmPassword'], message: 'The two new passwords differ' });

// What an admin sees once after creating a user or resetting a password.
export type OneTimePassword = { email: string; oneTimePassword: string };
