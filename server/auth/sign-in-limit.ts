// Failed password checks, limited. Every path that checks a password (the sign-in form; changing one's own
// password) goes through checkPassword below, so one limit covers them all: better-auth's HTTP endpoints are not
// mounted (app/api/auth has none), and its in-process calls apply no limit of their own.
// Failures count per account (any address) and per address (any account), in fixed windows; successful checks
// cost nothing, so a busy warehouse signing in all morning never meets the limit. The counts are shared by every
// app process (server/http/shared-limit.ts: PostgreSQL, or Redis with REDIS_URL), so a guesser spreading tries
// over several app instances meets the same limit. The address is server/http/client-address.ts's (TRUST_PROXY).
import { APIError } from 'better-auth/api';
import { getDb } from '@/db/client';
import { defaultLimitStore, SharedLimit, type LimitStore } from '@/server/http/shared-limit';

export type Limit = { max: number; windowMs: number };

function envInt(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : fallback;
}

export class SignInLimiter {
  private readonly account: SharedLimit;
  private readonly address: SharedLimit;

  constructor(
    store: LimitStore,
    readonly perAccount: Limit = { max: envInt('SIGN_IN_FAILURES_PER_ACCOUNT', 10), windowMs: 15 * 60_000 },
    readonly perAddress: Limit = { max: envInt('SIGN_IN_FAILURES_PER_ADDRESS', 30), windowMs: 60_000 },
  ) {
    const spec = (name: string, l: Limit) => ({ name, points: l.max, durationSeconds: Math.ceil(l.windowMs / 1000) });
    this.account = new SharedLimit(store, spec('sign-in:account', perAccount));
    this.address = new SharedLimit(store, spec('sign-in:address', perAddress));
  }

  // Seconds to wait before this account may be tried from this address again; 0 when it may be tried now.
  async retryAfter(account: string, address: string): Promise<number> {
    const [a, b] = await Promise.all([this.account.wait(account.toLowerCase()), this.address.wait(address)]);
    return Math.max(a, b);
  }

  async failed(account: string, address: string) {
    // Counting past the limit is refused by the library; the failure is counted all the same until then.
    await Promise.all([this.account.take(account.toLowerCase()), this.address.take(address)]);
  }
}

const global = globalThis as unknown as { onhandSignInLimiter?: SignInLimiter };
export function signInLimiter(): SignInLimiter {
  global.onhandSignInLimiter ??= new SignInLimiter(defaultLimitStore(getDb));
  return global.onhandSignInLimiter;
}

// A password check refused without being tried: the account or the address has failed too often.
export class TooManyPasswordFailures extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many failed attempts. Try again in ${retryAfterSeconds < 90 ? `${retryAfterSeconds} seconds` : `${Math.ceil(retryAfterSeconds / 60)} minutes`}.`);
    this.name = 'TooManyPasswordFailures';
  }
}

// A refusal by better-auth is a wrong password, except a deactivated account's (the password was right).
const refusedByBetterAuth = (e: unknown) =>
  e instanceof APIError && e.statusCode !== 429 && (e.body as { code?: string } | undefined)?.code !== 'ACCOUNT_DEACTIVATED';

// Runs a password-checking call (better-auth's signInEmail, the Account page's change of password, …) under the
// limit: refused with TooManyPasswordFailures while the account or the address is locked (even for the right
// password), and a refusal of the call that `wrongPassword` recognises counts as a failure. Its own errors are
// rethrown as they were.
export async function checkPassword<T>(
  account: string,
  address: string,
  check: () => Promise<T>,
  wrongPassword: (e: unknown) => boolean = refusedByBetterAuth,
): Promise<T> {
  const limiter = signInLimiter();
  const wait = await limiter.retryAfter(account, address);
  if (wait > 0) throw new TooManyPasswordFailures(wait);
  try {
    return await check();
  } catch (e) {
    if (wrongPassword(e)) await limiter.failed(account, address);
    throw e;
  }
}
