// Guessing passwords: failures are limited per account and per address on every path that checks a password, a
// correct password does not get through a lock, successful sign-ins cost nothing, and a made-up X-Forwarded-For
// does not buy a fresh address unless a trusted proxy (TRUST_PROXY) set it.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));
vi.mock('next/headers', async () => (await import('@/server/testing/request-scope')).nextHeadersMock);
vi.mock('next/cache', async () => (await import('@/server/testing/request-scope')).nextCacheMock);

import { SignInLimiter } from '@/server/auth/sign-in-limit';
import { testConnection } from '@/server/testing/fixtures';
import { anonymous, as, pageOutcome, signInAs, TEST_PASSWORD } from '@/server/testing/request-scope';

// Each attempt costs a password hash: lower limits keep the test short (the defaults are checked below).
process.env.SIGN_IN_FAILURES_PER_ACCOUNT = '4';
process.env.SIGN_IN_FAILURES_PER_ADDRESS = '6';
// As behind one proxy: the address is the last X-Forwarded-For entry (the tests below that need otherwise say so).
process.env.TRUST_PROXY = '1';

const conn = testConnection(2);
afterAll(() => conn.close());

async function attempt(email: string, password: string, address: string) {
  const { signIn } = await import('@/app/sign-in/actions');
  const f = new FormData();
  f.set('email', email);
  f.set('password', password);
  let message = '';
  const outcome = await as(anonymous, () => pageOutcome(async () => void (message = (await signIn({ status: 'idle' }, f)).message ?? '')), {
    'x-forwarded-for': address,
  });
  return outcome === 'rendered' ? message : outcome;
}

describe('the sign-in form', () => {
  it('locks an account after its failures, even against the right password; other accounts and successes are unaffected', async () => {
    const victim = await signInAs(conn, 'admin');
    const other = await signInAs(conn, 'staff');
    for (let i = 0; i < 4; i++) expect(await attempt(victim.email!, `guess-${i}`, `198.51.100.${i}`)).toBe('Wrong email or password.');
    // From yet another address, with the right password: still locked.
    expect(await attempt(victim.email!, TEST_PASSWORD, '198.51.100.77')).toMatch(/^Too many failed attempts\. Try again in \d+ minutes\.$/);
    expect(await attempt(victim.email!.toUpperCase(), TEST_PASSWORD, '198.51.100.78')).toMatch(/^Too many failed attempts/);
    // Another account signs in, again and again.
    for (let i = 0; i < 8; i++) expect(await attempt(other.email!, TEST_PASSWORD, '198.51.100.200')).toBe('redirect:/stock');
  });

  it('limits one address trying many accounts', async () => {
    for (let i = 0; i < 6; i++) expect(await attempt(`nobody-${i}@onhand.test`, 'guess', '203.0.113.5')).toBe('Wrong email or password.');
    expect(await attempt('nobody-x@onhand.test', 'guess', '203.0.113.5')).toMatch(/^Too many failed attempts\. Try again in \d+ seconds\.$/);
    expect(await attempt('nobody-x@onhand.test', 'guess', '203.0.113.6')).toBe('Wrong email or password.');
  });
});

describe('addresses a client makes up', () => {
  it('with no trusted proxy (the default), a fresh X-Forwarded-For per try is the same address: still limited', async () => {
    process.env.TRUST_PROXY = '';
    try {
      // One guesser, many accounts, a new made-up address each time.
      for (let i = 0; i < 6; i++) expect(await attempt(`spray-${i}@onhand.test`, 'guess', `192.0.2.${i}`)).toBe('Wrong email or password.');
      expect(await attempt('spray-x@onhand.test', 'guess', '192.0.2.99')).toMatch(/^Too many failed attempts\. Try again in \d+ seconds\.$/);
    } finally {
      process.env.TRUST_PROXY = '1';
    }
  });
});

describe('every path that checks a password', () => {
  it("is limited: better-auth's own HTTP endpoints are not served", () => {
    expect(fs.existsSync(path.resolve('app/api/auth'))).toBe(false);
    const files = (fs.readdirSync(path.resolve('app'), { recursive: true }) as string[]).map((f) => f.split(path.sep).join('/'));
    expect(files.filter((f) => /(^|\/)route\.tsx?$/.test(f) && fs.readFileSync(path.join('app', f), 'utf8').includes('toNextJsHandler'))).toEqual([]);
  });

  it('goes through checkPassword', () => {
    const checks = /\.api\.(signInEmail|changePassword|setPassword|verifyPassword|deleteUser)\(/;
    const offenders: string[] = [];
    for (const dir of ['app', 'server']) {
      for (const f of fs.readdirSync(path.resolve(dir), { recursive: true }) as string[]) {
        if (!/\.tsx?$/.test(f) || /\.test\.ts$/.test(f) || f.includes('testing')) continue;
        const text = fs.readFileSync(path.join(dir, f), 'utf8');
        if (checks.test(text) && !text.includes('checkPassword(')) offenders.push(`${dir}/${f}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});

describe('SignInLimiter', () => {
  it('allows 10 failures per account in 15 minutes and 30 per address in a minute by default', () => {
    const saved = { ...process.env };
    delete process.env.SIGN_IN_FAILURES_PER_ACCOUNT;
    delete process.env.SIGN_IN_FAILURES_PER_ADDRESS;
    try {
      const l = new SignInLimiter({ db: conn.db });
      expect(l.perAccount).toEqual({ max: 10, windowMs: 15 * 60_000 });
      expect(l.perAddress).toEqual({ max: 30, windowMs: 60_000 });
    } finally {
      Object.assign(process.env, saved);
    }
  });

  it('forgets failures when their window ends', async () => {
    const l = new SignInLimiter({ db: conn.db }, { max: 2, windowMs: 1000 }, { max: 100, windowMs: 1000 });
    const account = `forget-${Date.now()}@x`;
    await l.failed(account, '1.1.1.1');
    expect(await l.retryAfter(account, '1.1.1.1')).toBe(0);
    await l.failed(account.toUpperCase(), '2.2.2.2');
    expect(await l.retryAfter(account, '3.3.3.3')).toBe(1);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await l.retryAfter(account, '3.3.3.3')).toBe(0);
  });
});
