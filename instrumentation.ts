// Runs once when a Next.js server process starts. The app process is where Onhand's background work lives by
// default (server/inventory/commands/background-work.ts): HOLD_SWEEP_SECONDS (default 5; 0 turns it off for this
// process, when `npm run start:sweeper` runs it alone).
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs' || process.env.NEXT_PHASE === 'phase-production-build') return;
  const { sweepSecondsFromEnv, startBackgroundWork } = await import('@/server/inventory/commands/background-work');
  const sweepSeconds = sweepSecondsFromEnv();
  if (!sweepSeconds || !process.env.DATABASE_URL) return;
  const { getDb } = await import('@/db/client');
  const { appMetrics } = await import('@/server/observability/metrics');
  startBackgroundWork(getDb(), {
    sweepSeconds,
    log: (line) => console.log(line),
    onSwept: (r) => {
      appMetrics().holdsExpired.inc(r.holds);
      appMetrics().unitsReleasedBySweeper.inc(r.units);
    },
  });
}
