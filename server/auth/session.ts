// The one check every page and server action makes itself: who is calling, and may their role do this.
import 'server-only';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import type { Role } from '@/db/schema';
import { Refusal } from '@/server/adapters/middle';
import { getAuth, SESSION_CACHE_SECONDS } from './auth';
import { endSession, sessionMaxMs } from './session-max';
import { hasRole } from '../../lib/contracts/roles';

// sessionId binds what the session opened (its live sockets) to the session: ending it ends them.
export type SessionUser = { id: string; name: string; email: string; role: Role; sessionId: string; mustChangePassword: boolean };

export const ACCOUNT_PAGE = '/account';

// A deactivated user's sessions are deleted when they are deactivated; the check here is the second lock on that door.
// `cached`: the session may come from this process's memory (SESSION_CACHE_SECONDS old at most) instead of the
// database. Only the server actions of non-admin roles take it (protectedAction): they are the busy path, and a
// deactivation, demotion or ended session refuses them within that bound. Pages, route handlers, socket tokens and
// admin actions read the database every time.
export async function currentUser(opts: { cached?: boolean } = {}): Promise<SessionUser | null> {
  const h = await headers();
  const session = opts.cached ? await cachedSession(h) : await getAuth().api.getSession({ headers: h });
  if (!session) return null;
  // Past its absolute maximum, however active it was (better-auth slides it on use).
  if (Date.now() - new Date(session.session.createdAt).getTime() >= sessionMaxMs()) {
    await endSession(session.session.id);
    forgetSession(h);
    return null;
  }
  const u = session.user as typeof session.user & { role?: string; active?: boolean; mustChangePassword?: boolean };
  if (u.active === false) return null;
  return { id: u.id, name: u.name, email: u.email, role: (u.role ?? 'staff') as Role, sessionId: session.session.id, mustChangePassword: u.mustChangePassword === true };
}

// The cache of server actions' session checks: in memory rather than better-auth's cookie cache, because a server
// action that sets a cookie makes Next.js render the whole page again with its answer, and a cookie renewed every
// few seconds did that to most actions on the floor. Keyed by the signed session cookie (only its holder has it).
type Session = Awaited<ReturnType<ReturnType<typeof getAuth>['api']['getSession']>>;
const MAX_CACHED = 10_000;
const holder = globalThis as unknown as { onhandSessionCache?: Map<string, { session: NonNullable<Session>; until: number }> };
const cache = (holder.onhandSessionCache ??= new Map());

const sessionCookieOf = (h: Headers) => /(?:^|;\s*)((?:__Secure-)?[\w.-]*session_token=[^;]+)/.exec(h.get('cookie') ?? '')?.[1];

async function cachedSession(h: Headers): Promise<Session> {
  const key = sessionCookieOf(h);
  const now = Date.now();
  const hit = key ? cache.get(key) : undefined;
  if (hit && hit.until > now) return hit.session;
  const session = await getAuth().api.getSession({ headers: h });
  if (key) {
    cache.delete(key);
    if (session) {
      // Oldest first (insertion order): past the bound, the oldest entries make room.
      if (cache.size >= MAX_CACHED) for (const [k, v] of cache) if (v.until <= now || cache.size >= MAX_CACHED) cache.delete(k); else break;
      cache.set(key, { session, until: now + SESSION_CACHE_SECONDS * 1000 });
    }
  }
  return session;
}

// Signing out here takes effect at once in this process; other processes see the session gone within the bound.
export function forgetSession(h: Headers): void {
  const key = sessionCookieOf(h);
  if (key) cache.delete(key);
}

// For pages: anonymous visitors go to sign-in; a signed-in user without the role sees a refusal page; someone
// signed in with a one-time password goes to the account page and nowhere else until they have chosen their own.
export async function requirePageRole(role: Role): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect('/sign-in');
  if (user.mustChangePassword) redirect(ACCOUNT_PAGE);
  if (!hasRole(user.role, role)) redirect(`/forbidden?need=${role}`);
  return user;
}

// For server actions and dashboard reads: the caller, or a refusal their wrapper answers like any other error.
// `beforePasswordChange`: the one thing someone on a one-time password may do (the account page's change).
export async function requireRole(role: Role, opts: { beforePasswordChange?: boolean; cached?: boolean } = {}): Promise<SessionUser> {
  const user = await currentUser({ cached: opts.cached && role !== 'admin' });
  if (!user) throw new Refusal('unauthorized', 401, 'Your session has ended. Sign in again to continue.');
  if (user.mustChangePassword && !opts.beforePasswordChange) throw new Refusal('forbidden', 403, 'Change your one-time password first (Account).');
  if (!hasRole(user.role, role)) throw new Refusal('forbidden', 403, `This needs the ${role} role; you are signed in as ${user.role}.`);
  return user;
}
