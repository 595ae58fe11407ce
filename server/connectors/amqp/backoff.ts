// Exponential backoff with jitter, shared by reconnects and retries: a broker or database coming back is not
// met by every client at the same instant.
export type Backoff = { baseMs: number; maxMs: number };

export const DEFAULT_BACKOFF: Backoff = { baseMs: 250, maxMs: 10_000 };

// attempt counts from 0; the delay lies between half and all of min(max, base * 2^attempt).
export function backoffDelay(b: Backoff, attempt: number): number {
  const ceiling = Math.min(b.maxMs, b.baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling * (0.5 + Math.random() * 0.5));
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
