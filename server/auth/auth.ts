// Sign-in and sessions: better-auth with its drizzle adapter, sessions stored in PostgreSQL.
// Sign-up is closed: an admin creates users (the seed creates the demo ones).
import 'server-only';
import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { APIError } from 'better-auth/api';
import { nextCookies } from 'better-auth/next-js';
import { eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { accounts, sessions, users, verifications } from '@/db/schema';
import { appUrl, authSecret } from './config';

function createAuth() {
  return betterAuth({
    appName: 'Onhand',
    baseURL: appUrl(),
    secret: authSecret(),
    trustedOrigins: [appUrl()],
    database: drizzleAdapter(getDb(), {
      provider: 'pg',
      schema: { user: users, session: sessions, account: accounts, verification: verifications },
    }),
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 8 },
    user: {
      additionalFields: {
        role: { type: 'string', input: false, defaultValue: 'staff' },
        active: { type: 'boolean', input: false, defaultValue: true },
        mustChangePassword: { type: 'boolean', input: false, defaultValue: false },
      },
    },
    // Every way into a session passes here, after the password was checked: a deactivated user gets none.
    databaseHooks: {
      session: {
        create: {
          before: async (session) => {
            const [u] = await getDb().select({ active: users.active }).from(users).where(eq(users.id, session.userId));
            if (!u?.active) throw new APIError('FORBIDDEN', { message: DEACTIVATED_MESSAGE, code: DEACTIVATED_CODE });
          },
          after: async (session) => {
            await getDb().update(users).set({ lastSignedInAt: new Date() }).where(eq(users.id, session.userId));
          },
        },
      },
    },
    // A shift is at most 12 hours; a session idle for longer must sign in again.
    session: { expiresIn: 60 * 60 * 12, updateAge: 60 * 30 },
    rateLimit: { enabled: true, window: 60, max: 30, storage: 'memory' },
    plugins: [nextCookies()],
  });
}

export const DEACTIVATED_CODE = 'ACCOUNT_DEACTIVATED';
export const DEACTIVATED_MESSAGE = 'This account is deactivated. Ask an admin to reactivate it.';

type Auth = ReturnType<typeof createAuth>;
const globalForAuth = globalThis as unknown as { onhandAuth?: Auth };

// Created on first use so `next build` does not need a database.
export function getAuth(): Auth {
  globalForAuth.onhandAuth ??= createAuth();
  return globalForAuth.onhandAuth;
}
