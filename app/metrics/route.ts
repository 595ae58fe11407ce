import { createHash, timingSafeEqual } from 'node:crypto';
import { problemResponse } from '@/server/adapters/middle';
import { bearerToken } from '@/server/api/request';
import { hasRole } from '@/lib/contracts/roles';
import { currentUser } from '@/server/auth/session';
import { metricsResponse } from '@/server/observability/exposition';
import { appMetrics } from '@/server/observability/metrics';

export const dynamic = 'force-dynamic';

// Prometheus scrapes with `Authorization: Bearer $METRICS_TOKEN`; an admin may also look in the browser. The figures
// are counts and timings only, but they tell how busy the business is, so they are not public.
export async function GET(request: Request) {
  if (!bearerMatches(bearerToken(request), process.env.METRICS_TOKEN)) {
    const user = await currentUser();
    if (!user) {
      return problemResponse('unauthorized', 401, 'Send Authorization: Bearer <METRICS_TOKEN>, or sign in as an admin.', {}, { 'WWW-Authenticate': 'Bearer realm="onhand-metrics"' });
    }
    if (!hasRole(user.role, 'admin')) return problemResponse('forbidden', 403, `Metrics need the admin role or the metrics token; you are signed in as ${user.role}.`);
  }
  return metricsResponse(appMetrics().registry);
}

function bearerMatches(sent: string | undefined, token: string | undefined): boolean {
  if (!token || !sent) return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(sent), digest(token));
}
