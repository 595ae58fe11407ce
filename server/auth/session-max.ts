// Sessions end. better-auth ends one idle for 12 hours, but renews it while it is used, so a busy one would never
// end: it also ends ONHAND_SESSION_MAX_HOURS (default 12, a shift) after sign-in, however active it was.
// currentUser (server/auth/session.ts), through which every page, action, dashboard read and socket token reads
// the session, applies it.
import 'server-only';
import { eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { sessions } from '@/db/schema';

export function sessionMaxMs(): number {
  const h = Number(process.env.ONHAND_SESSION_MAX_HOURS);
  return (Number.isFinite(h) && h > 0 ? h : 12) * 3_600_000;
}

// The row goes, so the session's cookie is anonymous everywhere from now on.
export async function endSession(id: string): Promise<void> {
  await getDb().delete(sessions).where(eq(sessions.id, id));
}
