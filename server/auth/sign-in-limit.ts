// Failed password checks, limited. Every path that checks a password (the sign-in form; changing one's own
// password) goes through checkPassword below, so one limit covers them all: better-auth's HTTP endpoints are not
// mounted (app/api/auth has none), and its in-process calls apply no limit of their own.
// Failures count per account (any address) and per address (any account), in fixed windows; successful checks
// cost nothing, so a busy warehouse signing in all morning never meets the limit. Kept in this process's memory,
// like the API's rate limits. The address is server/http/client-address.ts's (TRUST_PROXY decides).
import { APIError } from 'better-auth/api';
type Window = { failures: number; until: number };
export type Limit = { max: number; windowMs: number };

const MAX_TRACKED = 20_000;

function envInt(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : fallback;
}

export class SignInLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    readonly perAccount: Limit = { max: envInt('SIGN_IN_FAILURES_PER_ACCOUNT', 10), windowMs: 15 * 60_000 },
    readonly perAddress: Limit = { max: envInt('SIGN_IN_FAILURES_PER_ADDRESS', 30), windowMs: 60_000 },
    private readonly now: () => number = Date.now,
  ) {}

  // Seconds to wait before this account may be tried from this address again; 0 when it may be tried now.
  retryAfter(account: string, address: string): number {
    const now = this.now();
    return Math.max(this.wait(`account:${account.toLowerCase()}`, this.perAccount, now), this.wait(`address:${address}`, this.perAddress, now));
  }

  failed(account: string, address: string) {
    const now = this.now();
    this.count(`account:${account.toLowerCase()}`, this.perAccount, now);
    this.count(`address:${address}`, this.perAddress, now);
  }

  private wait(key: string, limit: Limit, now: number): number {
    const w = this.windows.get(key);
    if (!w || w.until <= now || w.failures < limit.max) return 0;
    return Math.max(1, Math.ceil((w.until - now) / 1000));
  }

  private count(key: string, limit: Limit, now: number) {
    const w = this.windows.get(key);
    if (w && w.until > now) return void w.failures++;
    if (this.windows.size >= MAX_TRACKED) for (const [k, old] of this.windows) if (old.until <= now) this.windows.delete(k);
    this.windows.set(key, { failures: 1, until: now + limit.windowMs });
  }
}

const global = globalThis as unknown as { onhandSignInLimiter?: SignInLimiter };
export function signInLimiter(): SignInLimiter {
  global.onhandSignInLimiter ??= new SignInLimiter();
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
  const wait = limiter.retryAfter(account, address);
  if (wait > 0) throw new TooManyPasswordFailures(wait);
  try {
    return await check();
  } catch (e) {
    if (wrongPassword(e)) limiter.failed(account, address);
    throw e;
  }
}
