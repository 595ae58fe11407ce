// The one check every page and server action makes itself: who is calling, and may their role do this.
import 'server-only';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import type { Role } from '@/db/schema';
import { Refusal } from '@/server/adapters/middle';
import { getAuth } from './auth';
import { endSession, sessionMaxMs } from './session-max';
import { hasRole } from '../../lib/contracts/roles';

export type SessionUser = { id: string; name: string; email: string; role: Role };

export async function currentUser(): Promise<SessionUser | null> {
  const session = await getAuth().api.getSession({ headers: await headers() });
  if (!session) return null;
  // Past its absolute maximum, however active it was (better-auth slides it on use).
  if (Date.now() - new Date(session.session.createdAt).getTime() >= sessionMaxMs()) {
    await endSession(session.session.id);
    return null;
  }
  const u = session.user as typeof session.user & { role?: string };
  return { id: u.id, name: u.name, email: u.email, role: (u.role ?? 'staff') as Role };
}

// For pages: anonymous visitors go to sign-in; a signed-in user without the role sees a refusal page.
export async function requirePageRole(role: Role): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect('/sign-in');
  if (!hasRole(user.role, role)) redirect(`/forbidden?need=${role}`);
  return user;
}

// For server actions and dashboard reads: the caller, or a refusal their wrapper answers like any other error.
export async function requireRole(role: Role): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) throw new Refusal('unauthorized', 401, 'Your session has ended. Sign in again to continue.');
  if (!hasRole(user.role, role)) throw new Refusal('forbidden', 403, `This needs the ${role} role; you are signed in as ${user.role}.`);
  return user;
}
