// Failed sign-ins, limited. better-auth limits requests to its own HTTP endpoints, but the sign-in form calls it
// in-process, where no limit applies, so guessing passwords through the form was bounded only by scrypt's cost.
// Failures count per account (any address) and per address (any account), in fixed windows; successful sign-ins
// cost nothing, so a busy warehouse signing in all morning never meets the limit. Kept in this process's memory,
// like the API's rate limits.
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
