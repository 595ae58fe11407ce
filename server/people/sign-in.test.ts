// Signing in as the people rules say: a one-time password lets the user in to change it and to nothing else; after
// the change everything opens and the one-time password is dead; a deactivated user is told so and gets no session.
import { afterAll, describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));
vi.mock('next/headers', async () => (await import('@/server/testing/request-scope')).nextHeadersMock);
vi.mock('next/cache', async () => (await import('@/server/testing/request-scope')).nextCacheMock);

import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { ActionState } from '@/lib/contracts/action-state';
import { sessions } from '@/db/schema';
import { getAuth } from '@/server/auth/auth';
import { testActor, testConnection } from '@/server/testing/fixtures';
import { anonymous, as, pageOutcome, type TestSession } from '@/server/testing/request-scope';
import { createPerson, listPeople, personById, setActive } from './users';

const conn = testConnection(4);
afterAll(() => conn.close());

function form(fields: Record<string, string>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
}

// The sign-in form's own action; it answers with a redirect when it worked.
async function signInForm(email: string, password: string): Promise<ActionState | string> {
  const { signIn } = await import('@/app/sign-in/actions');
  try {
    return await as(anonymous, () => signIn({ status: 'idle' }, form({ email, password })));
  } catch (e) {
    return pageOutcome(() => Promise.reject(e));
  }
}

async function session(email: string, password: string): Promise<TestSession> {
  const res = await getAuth().api.signInEmail({ body: { email, password }, returnHeaders: true });
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return { role: 'staff', userId: res.response.user.id, email, cookie };
}

const page = async (s: TestSession, file: string) => {
  const Page = ((await import(/* @vite-ignore */ `@/app/${file}`)) as { default: (p: unknown) => Promise<unknown> }).default;
  return as(s, () => pageOutcome(() => Page({ params: Promise.resolve({}), searchParams: Promise.resolve({}), children: null })));
};

describe('a one-time password', () => {
  it('opens only the account page until the user has chosen their own password', async () => {
    const email = `new-${randomUUID()}@shop.example`;
    const { oneTimePassword } = await createPerson(conn.db, { name: 'New Hire', email, role: 'manager' }, { actor: testActor });
    expect(await personById(conn.db, (await listPeople(conn.db)).find((p) => p.email === email)!.id)).toMatchObject({ lastSignedInAt: null });
    expect(await signInForm(email, oneTimePassword!)).toBe('redirect:/stock');
    const s = await session(email, oneTimePassword!);
    expect((await personById(conn.db, s.userId!))?.lastSignedInAt).not.toBeNull();

    expect(await page(s, '(shell)/stock/(list)/page')).toBe('redirect:/account');
    expect(await page(s, '(shell)/layout')).toBe('redirect:/account');
    expect(await page(s, 'account/page')).toBe('rendered');
    const { adjustAction } = await import('@/app/(shell)/adjust/actions');
    expect((await as(s, () => adjustAction({ status: 'idle' }, new FormData()))).message).toBe('Change your one-time password first (Account).');
    const { POST } = await import('@/app/api/realtime/token/route');
    expect((await as(s, () => POST())).status).toBe(403);

    const { changePasswordAction } = await import('@/app/account/actions');
    const change = (fields: Record<string, string>) => as(s, () => changePasswordAction({ status: 'idle' }, form(fields)));
    const weak = await change({ currentPassword: oneTimePassword!, newPassword: 'short', confirmPassword: 'short' });
    expect(weak.fieldErrors).toEqual({ newPassword: ['At least 10 characters'] });
    const done = await change({ currentPassword: oneTimePassword!, newPassword: 'my-own-good-secret', confirmPassword: 'my-own-good-secret' }).then(
      () => 'no redirect',
      (e: unknown) => pageOutcome(() => Promise.reject(e)),
    );
    expect(done).toBe('redirect:/stock');

    // The same session goes on, now everywhere; the one-time password is dead.
    expect(await page(s, '(shell)/stock/(list)/page')).toBe('rendered');
    expect((await as(s, () => POST())).status).toBe(200);
    expect(await signInForm(email, oneTimePassword!)).toMatchObject({ status: 'error', message: 'Wrong email or password.' });
    expect(await signInForm(email, 'my-own-good-secret')).toBe('redirect:/stock');
  });
});

describe('a deactivated user', () => {
  it('is told so after the right password, gets no session, and a wrong password says nothing about it', async () => {
    const email = `gone-${randomUUID()}@shop.example`;
    const { person } = await createPerson(conn.db, { name: 'Gone Soon', email, role: 'staff', password: 'a-fine-password' }, { actor: testActor });
    await setActive(conn.db, { userId: person.id, active: false }, { actor: testActor });
    expect(await signInForm(email, 'a-fine-password')).toMatchObject({ status: 'error', message: 'This account is deactivated. Ask an admin to reactivate it.' });
    expect(await signInForm(email, 'not-the-password')).toMatchObject({ status: 'error', message: 'Wrong email or password.' });
    expect(await conn.db.$count(sessions, eq(sessions.userId, person.id))).toBe(0);

    await setActive(conn.db, { userId: person.id, active: true }, { actor: testActor });
    expect(await signInForm(email, 'a-fine-password')).toBe('redirect:/stock');
  });
});
