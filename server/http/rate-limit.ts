// Token buckets per client, in this process's memory: the sidecar's public availability endpoint (10,000 reads a
// second per sidecar) limits each address here, on its own, because a store round trip per read would cost more
// than the read itself. So N sidecars allow an address up to N times RATE_LIMIT_PUBLIC_PER_MIN there. The app's
// API routes and sign-in use limits shared by every process instead (server/http/shared-limit.ts).
export type RateLimitDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

type Bucket = { tokens: number; at: number };

const MAX_CLIENTS = 50_000;

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;

  // capacity: the burst a quiet client may spend at once; perMinute: the steady refill.
  constructor(
    readonly perMinute: number,
    readonly capacity: number = perMinute,
    private readonly now: () => number = Date.now,
  ) {
    this.perMs = perMinute / 60_000;
  }

  take(client: string): RateLimitDecision {
    const now = this.now();
    const b = this.buckets.get(client) ?? { tokens: this.capacity, at: now };
    b.tokens = Math.min(this.capacity, b.tokens + (now - b.at) * this.perMs);
    b.at = now;
    if (!this.buckets.has(client)) {
      if (this.buckets.size >= MAX_CLIENTS) this.prune(now);
      this.buckets.set(client, b);
    }
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / this.perMs / 1000)) };
  }

  get size() {
    return this.buckets.size;
  }

  // Full buckets carry no state worth keeping; if every client is busy, the oldest go first.
  private prune(now: number) {
    for (const [k, b] of this.buckets) {
      if (b.tokens + (now - b.at) * this.perMs >= this.capacity) this.buckets.delete(k);
    }
    for (const k of this.buckets.keys()) {
      if (this.buckets.size < MAX_CLIENTS * 0.9) break;
      this.buckets.delete(k);
    }
  }
}

function envInt(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : fallback;
}

const limiters: { public?: RateLimiter } = {};

// Read from the environment on first use: RATE_LIMIT_PUBLIC_PER_MIN (per client IP, default 600);
// RATE_LIMIT_PUBLIC_BURST defaults to the same.
export function publicLimiter(): RateLimiter {
  return (limiters.public ??= fromEnv('RATE_LIMIT_PUBLIC', 600));
}

// The environment is read when a limiter is made, not on every request.
function fromEnv(prefix: string, perMinFallback: number): RateLimiter {
  const perMin = envInt(`${prefix}_PER_MIN`, perMinFallback);
  return new RateLimiter(perMin, envInt(`${prefix}_BURST`, perMin));
}

// Forgets the limiters so the next request reads the environment again (tests change the limits).
export function resetRateLimiters() {
  delete limiters.public;
}
