// Runs once when a Next.js server process starts. The app process is where Onhand's background work lives: the
// sweeper that releases expired cart holds (HOLD_SWEEP_SECONDS, default 5; 0 turns the background work off for this
// process), and the pruning of idempotency records past their retention (IDEMPOTENCY_RETENTION_DAYS, default 7).
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs' || process.env.NEXT_PHASE === 'phase-production-build') return;
  const seconds = Number(process.env.HOLD_SWEEP_SECONDS ?? 5);
  if (!Number.isFinite(seconds) || seconds <= 0 || !process.env.DATABASE_URL) return;
  const { getDb } = await import('@/db/client');
  const { pruneIdempotencyKeys, retentionDaysFromEnv } = await import('@/server/inventory/commands/prune-idempotency');
  const { startRepeating } = await import('@/server/inventory/commands/repeat');
  const retentionDays = retentionDaysFromEnv();
  startRepeating(() => pruneIdempotencyKeys(getDb(), { retentionDays }), {
    everyMs: 10 * 60_000,
    onResult: (n) => void (n && console.log(`idempotency records: ${n} older than ${retentionDays} day(s) removed`)),
    onError: (e) => console.error(`idempotency pruning: ${e instanceof Error ? e.message : String(e)}`),
  });
  const { startHoldSweeper } = await import('@/server/inventory/commands/hold-sweeper');
  const { appMetrics } = await import('@/server/observability/metrics');
  startHoldSweeper(getDb(), {
    everyMs: seconds * 1000,
    onSwept: (r) => {
      appMetrics().holdsExpired.inc(r.holds);
      appMetrics().unitsReleasedBySweeper.inc(r.units);
      console.log(`hold sweeper: ${r.holds} expired hold(s) released, ${r.units} unit(s) available again`);
    },
    onError: (e) => console.error(`hold sweeper: ${e instanceof Error ? e.message : String(e)}`),
  });
}
