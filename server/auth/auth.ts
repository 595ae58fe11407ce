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
import { sessionMaxMs } from './session-max';

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
    // A session idle for 12 hours (or past its absolute maximum, server/auth/session-max.ts) must sign in again.
    // No cookie cache: server actions keep sessions in memory instead (server/auth/session.ts says why).
    session: {
      expiresIn: Math.min(60 * 60 * 12, Math.floor(sessionMaxMs() / 1000)),
      updateAge: 60 * 30,
    },
    // No better-auth HTTP endpoint is mounted: the app calls it in-process (sign-in and sign-out are server actions,
    // sessions are read with getSession), and password checks are limited by server/auth/sign-in-limit.ts.
    rateLimit: { enabled: false },
    // The session records the address server/http/client-address.ts worked out, never a client's own claim.
    // (whole IPv6 addresses: better-auth would keep only the /64 network by default).
    advanced: { ipAddress: { ipAddressHeaders: [CLIENT_ADDRESS_HEADER], ipv6Subnet: 128 } },
    plugins: [nextCookies()],
  });
}

// How long a deactivation, a demotion or an ended session may take to refuse a server action (its session is cached
// in memory that long, server/auth/session.ts).
export const SESSION_CACHE_SECONDS = 5;

const CLIENT_ADDRESS_HEADER = 'x-onhand-session-address';
export const MAX_USER_AGENT_LENGTH = 512;

// The request's headers as better-auth should see them when it makes a session: the client's address as we
// worked it out, and the User-Agent it stores cut to a bound (a header can be 16 KB; the sessions table keeps it).
export function sessionHeaders(h: Headers, address: string): Headers {
  const out = new Headers(h);
  out.set(CLIENT_ADDRESS_HEADER, address);
  const ua = h.get('user-agent');
  if (ua && ua.length > MAX_USER_AGENT_LENGTH) out.set('user-agent', ua.slice(0, MAX_USER_AGENT_LENGTH));
  return out;
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
