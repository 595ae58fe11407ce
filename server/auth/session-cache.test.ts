// Server actions check the session from its signed cookie cache, which lives SESSION_CACHE_SECONDS: a deactivation
// or an ended session refuses the user's actions within that bound, admin actions and pages read the database at
// once, and signing out clears the cache cookie with the session's.
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';

vi.mock('server-only', () => ({}));
vi.mock('next/headers', async () => (await import('@/server/testing/request-scope')).nextHeadersMock);
vi.mock('next/cache', async () => (await import('@/server/testing/request-scope')).nextCacheMock);

import { sessions } from '@/db/schema';
import { setActive, setRole } from '@/server/people/users';
import { testActor, testConnection, waitFor } from '@/server/testing/fixtures';
import { as, signInAs, type TestSession } from '@/server/testing/request-scope';
import { protectedAction } from './action';
import { getAuth, SESSION_CACHE_SECONDS } from './auth';
import { endSession } from './session-max';
import { currentUser } from './session';

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
  it('signs in with a cache cookie next to the session cookie, and acts on it', async () => {
    const s = await signInAs(conn, 'staff');
    expect(s.cookie).toMatch(/session_data=/);
    expect(await call(s)).toMatchObject({ status: 'ok', message: 'done' });
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

  it('signing out clears the cache cookie with the session cookie', async () => {
    const s = await signInAs(conn, 'staff');
    const res = await getAuth().api.signOut({ headers: new Headers({ cookie: s.cookie! }), returnHeaders: true });
    const cleared = res.headers.getSetCookie().filter((c) => /max-age=0/i.test(c)).map((c) => c.split('=')[0]);
    expect(cleared).toEqual(expect.arrayContaining([expect.stringMatching(/session_token$/), expect.stringMatching(/session_data$/)]));
    await refusedWithin(s);
  });
});
