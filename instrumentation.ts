// Runs once when a Next.js server process starts. The app process is where Onhand's background work lives: the
// sweeper that releases expired cart holds (HOLD_SWEEP_SECONDS, default 5; 0 turns it off for this process).
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs' || process.env.NEXT_PHASE === 'phase-production-build') return;
  const seconds = Number(process.env.HOLD_SWEEP_SECONDS ?? 5);
  if (!Number.isFinite(seconds) || seconds <= 0 || !process.env.DATABASE_URL) return;
  const { getDb } = await import('@/db/client');
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
