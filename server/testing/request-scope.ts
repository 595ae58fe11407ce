// In-process stand-ins for Next's request scope, so server actions, pages and session-checked route handlers
// run in vitest with a real better-auth session from the database. A test file wires them up with:
//   vi.mock('server-only', () => ({}));
//   vi.mock('next/headers', async () => (await import('@/server/testing/request-scope')).nextHeadersMock);
//   vi.mock('next/cache', async () => (await import('@/server/testing/request-scope')).nextCacheMock);
// then signs users in with signInAs and makes each call under `as(session, fn)`.
import { randomBytes, randomUUID } from 'node:crypto';
import { hashPassword } from 'better-auth/crypto';
import { inject } from 'vitest';
import type { Connection } from '@/db/client';
import { accounts, users, type Role } from '@/db/schema';

// What the handlers and better-auth read, set per call.
process.env.DATABASE_URL = inject('databaseUrl');
process.env.BETTER_AUTH_SECRET = 'test-secret-test-secret-test-secret-0123';
process.env.ONHAND_URL = 'http://app.onhand.test';

type Scope = { cookie: string | null; extra: Record<string, string> };
const scope: Scope = { cookie: null, extra: {} };
// The names of cookies handlers set or deleted, in order (a server action that sets one re-renders the page in Next).
export const cookieWrites: string[] = [];

export const nextHeadersMock = {
  headers: async () => {
    const h = new Headers(scope.extra);
    if (scope.cookie) h.set('cookie', scope.cookie);
    return h;
  },
  cookies: async () => {
    const jar = new Map<string, string>();
    for (const part of (scope.cookie ?? '').split(/;\s*/).filter(Boolean)) {
      const i = part.indexOf('=');
      jar.set(part.slice(0, i), part.slice(i + 1));
    }
    return {
      get: (name: string) => (jar.has(name) ? { name, value: jar.get(name)! } : undefined),
      getAll: () => [...jar].map(([name, value]) => ({ name, value })),
      has: (name: string) => jar.has(name),
      // better-auth's nextCookies plugin refreshes cookies through here; the test keeps its own and notes the name.
      set: (name: string) => void cookieWrites.push(name),
      delete: (name: string) => void cookieWrites.push(name),
    };
  },
  draftMode: async () => ({ isEnabled: false, enable: () => {}, disable: () => {} }),
};

export const nextCacheMock = {
  revalidatePath: () => {},
  revalidateTag: () => {},
  refresh: () => {},
  updateTag: () => {},
  unstable_noStore: () => {},
};

export type TestSession = { role: Role | 'anonymous'; userId: string | null; email: string | null; cookie: string | null };

export const anonymous: TestSession = { role: 'anonymous', userId: null, email: null, cookie: null };

export const TEST_PASSWORD = 'correct-horse-battery-staple';
let passwordHash: Promise<string> | undefined;

// A user with a password, signed in through better-auth's own sign-in: the cookie is what a browser would hold.
export async function signInAs(conn: Connection, role: Role): Promise<TestSession> {
  const id = `u_${randomBytes(6).toString('hex')}`;
  const email = `${id}@onhand.test`;
  await conn.db.insert(users).values({ id, name: `Test ${role}`, email, role, emailVerified: true });
  passwordHash ??= hashPassword(TEST_PASSWORD);
  await conn.db.insert(accounts).values({ id: randomUUID(), accountId: id, providerId: 'credential', userId: id, password: await passwordHash });
  const { getAuth } = await import('@/server/auth/auth');
  const res = await getAuth().api.signInEmail({ body: { email, password: TEST_PASSWORD }, returnHeaders: true });
  const setCookies = res.headers.getSetCookie();
  const cookie = setCookies.map((c) => c.split(';')[0]).join('; ');
  if (!cookie.includes('session_token')) throw new Error(`sign-in gave no session cookie: ${setCookies.join(' | ')}`);
  return { role, userId: id, email, cookie };
}

// Runs fn as if inside a request from this session (with optional extra request headers).
export async function as<T>(s: TestSession, fn: () => Promise<T>, extra: Record<string, string> = {}): Promise<T> {
  const before = { ...scope };
  scope.cookie = s.cookie;
  scope.extra = extra;
  try {
    return await fn();
  } finally {
    Object.assign(scope, before);
  }
}

// What a page did: rendered, or redirected (to sign-in or the refusal page), or answered not found.
export type PageOutcome = 'rendered' | 'sign-in' | 'forbidden' | 'not-found' | `redirect:${string}`;

export async function pageOutcome(render: () => Promise<unknown>): Promise<PageOutcome> {
  try {
    await render();
    return 'rendered';
  } catch (e) {
    const digest = (e as { digest?: unknown })?.digest;
    if (typeof digest !== 'string') throw e;
    if (digest.startsWith('NEXT_REDIRECT')) {
      const url = digest.split(';')[2] ?? '';
      if (url === '/sign-in') return 'sign-in';
      if (url.startsWith('/forbidden')) return 'forbidden';
      return `redirect:${url}`;
    }
    if (digest.startsWith('NEXT_HTTP_ERROR_FALLBACK;404')) return 'not-found';
    throw e;
  }
}
