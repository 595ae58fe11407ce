import { sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { degradedParts, readParts } from '@/server/observability/parts';
import { replicationSlots, slotsBehind } from '@/server/observability/replication-slots';

export const dynamic = 'force-dynamic';

// Liveness and database reachability, for load balancers and `npm start`'s readiness wait. Under `npm start` it
// also says how the other parts are: a sidecar or connector that is restarting or failed makes the answer
// `degraded` (still 200: this app serves, and pulling it from a load balancer would not help), and so does a
// replication slot that keeps more WAL than SLOT_WAL_WARN_BYTES (a connector stopped or retired without its slot).
export async function GET() {
  const report = readParts();
  const parts = report ? Object.fromEntries(Object.entries(report.parts).map(([name, p]) => [name, p.state])) : undefined;
  const degraded = degradedParts(report);
  const others = { ...(parts ? { parts } : {}) };
  try {
    await getDb().execute(sql`SELECT 1`);
    const slots = await replicationSlots(getDb());
    degraded.push(...slotsBehind(slots));
    const persistent = slots.filter((s) => !s.temporary).map(({ temporary: _, ...s }) => s);
    return Response.json({
      ok: true,
      status: degraded.length ? 'degraded' : 'ok',
      database: 'up',
      ...others,
      ...(persistent.length ? { replicationSlots: persistent } : {}),
      ...(degraded.length ? { degraded } : {}),
    });
  } catch {
    return Response.json({ ok: false, status: 'down', database: 'down', ...others, ...(degraded.length ? { degraded } : {}) }, { status: 503 });
  }
}
