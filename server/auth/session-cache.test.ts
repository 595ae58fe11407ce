// Server actions check the session from the app process's memory, kept SESSION_CACHE_SECONDS: a deactivation or an
// ended session refuses the user's actions within that bound, admin actions and pages read the database at once,
// signing out ends it at once, and no action sets a cookie to keep it (a cookie set by an action makes Next.js render
// the whole page again).
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';

vi.mock('server-only', () => ({}));
vi.mock('next/headers', async () => (await import('@/server/testing/request-scope')).nextHeadersMock);
vi.mock('next/cache', async () => (await import('@/server/testing/request-scope')).nextCacheMock);

import { sessions } from '@/db/schema';
import { setActive, setRole } from '@/server/people/users';
import { testActor, testConnection, waitFor } from '@/server/testing/fixtures';
import { as, cookieWrites, signInAs, type TestSession } from '@/server/testing/request-scope';
import { protectedAction } from './action';
import { SESSION_CACHE_SECONDS } from './auth';
import { endSession } from './session-max';
import { currentUser } from './session';
import { signOut } from '@/app/sign-in/actions';

const conn = testConnection(2);
afterAll(() => conn.close());

const staffAction = protectedAction('staff', z.object({}), async () => ({ message: 'done' }));
const adminAction = protectedAction('admin', z.object({}), async () => ({ message: 'done' }));
const call = (s: TestSession, action = staffAction) => as(s, () => action({ status: 'idle' } as never, new FormData()));

// Within the cache's lifetime and a margin for a loaded machine; never asserted as a duration.
const bound = SESSION_CACHE_SECONDS * 1000 + 10_000;

async function refusedWithin(s: TestSession, action = staffAction) {
  await waitFor(async () => (await call(s, action)).status === 'error', 'the action to be refused', bound);
  expect(await call(s, action)).toMatchObject({ status: 'error', message: 'Your session has ended. Sign in again to continue.' });
}

describe('the session check of server actions', () => {
  it('acts on the cached session without reading the database, and sets no cookie doing so', async () => {
    const s = await signInAs(conn, 'staff');
    expect(s.cookie).not.toMatch(/session_data=/);
    expect(await call(s)).toMatchObject({ status: 'ok', message: 'done' });
    // Past the bound the check reads the database again, and keeps the answer without writing a cookie.
    await new Promise((r) => setTimeout(r, SESSION_CACHE_SECONDS * 1000 + 500));
    cookieWrites.length = 0;
    expect(await call(s)).toMatchObject({ status: 'ok' });
    expect(cookieWrites).toEqual([]);
    // The row gone underneath: the next action within the bound is still served from memory, a page is refused at once.
    const [row] = await conn.db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, s.userId!));
    await conn.db.delete(sessions).where(eq(sessions.id, row.id));
    expect(await call(s)).toMatchObject({ status: 'ok' });
    expect(await as(s, () => currentUser())).toBeNull();
    await refusedWithin(s);
  });

  it('refuses a deactivated user within the bound; pages see the deactivation at once', async () => {
    const s = await signInAs(conn, 'staff');
    expect(await call(s)).toMatchObject({ status: 'ok' });
    await setActive(conn.db, { userId: s.userId!, active: 'false' }, { actor: testActor });
    expect(await as(s, () => currentUser())).toBeNull();
    await refusedWithin(s);
  });

  it('refuses an ended session within the bound', async () => {
    const s = await signInAs(conn, 'manager');
    expect(await call(s)).toMatchObject({ status: 'ok' });
    const [row] = await conn.db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, s.userId!));
    await endSession(row.id);
    await refusedWithin(s);
  });

  it('checks admin actions against the database, so a demoted admin is refused at once', async () => {
    // Another admin first: the last active admin cannot be demoted.
    await signInAs(conn, 'admin');
    const s = await signInAs(conn, 'admin');
    expect(await call(s, adminAction)).toMatchObject({ status: 'ok' });
    await setRole(conn.db, { userId: s.userId!, role: 'staff' }, { actor: testActor });
    expect(await call(s, adminAction)).toMatchObject({ status: 'error' });
  });

  it('signing out refuses the actions at once', async () => {
    const s = await signInAs(conn, 'staff');
    expect(await call(s)).toMatchObject({ status: 'ok' });
    await as(s, () => signOut()).catch(() => undefined); // it answers with a redirect to the sign-in page
    expect(await call(s)).toMatchObject({ status: 'error', message: 'Your session has ended. Sign in again to continue.' });
  });
});
