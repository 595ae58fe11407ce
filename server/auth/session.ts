// The one check every page and server action makes itself: who is calling, and may their role do this.
import 'server-only';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import type { Role } from '@/db/schema';
import { Refusal } from '@/server/adapters/middle';
import { getAuth } from './auth';
import { endSession, sessionMaxMs } from './session-max';
import { hasRole } from '../../lib/contracts/roles';

// sessionId binds what the session opened (its live sockets) to the session: ending it ends them.
export type SessionUser = { id: string; name: string; email: string; role: Role; sessionId: string; mustChangePassword: boolean };

export const ACCOUNT_PAGE = '/account';

// A deactivated user's sessions are deleted when they are deactivated; the check here is the second lock on that door.
// `cached`: the session may come from its signed cookie cache (SESSION_CACHE_SECONDS old at most) instead of the
// database. Only the server actions of non-admin roles take it (protectedAction): they are the busy path, and a
// deactivation, demotion or ended session refuses them within that bound. Pages, route handlers, socket tokens and
// admin actions read the database every time.
export async function currentUser(opts: { cached?: boolean } = {}): Promise<SessionUser | null> {
  const session = await getAuth().api.getSession({ headers: await headers(), query: { disableCookieCache: !opts.cached } });
  if (!session) return null;
  // Past its absolute maximum, however active it was (better-auth slides it on use).
  if (Date.now() - new Date(session.session.createdAt).getTime() >= sessionMaxMs()) {
    await endSession(session.session.id);
    return null;
  }
  const u = session.user as typeof session.user & { role?: string; active?: boolean; mustChangePassword?: boolean };
  if (u.active === false) return null;
  return { id: u.id, name: u.name, email: u.email, role: (u.role ?? 'staff') as Role, sessionId: session.session.id, mustChangePassword: u.mustChangePassword === true };
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
