import { problemResponse } from '@/server/adapters/middle';
import { hasRole } from '@/lib/contracts/roles';
import { currentUser } from '@/server/auth/session';
import { metricsResponse } from '@/server/observability/exposition';
import { METRICS_REALM, metricsTokenMatches } from '@/server/observability/metrics-access';
import { appMetrics } from '@/server/observability/metrics';

export const dynamic = 'force-dynamic';

// Prometheus scrapes with `Authorization: Bearer $METRICS_TOKEN`; an admin may also look in the browser. The figures
// are counts and timings only, but they tell how busy the business is, so they are not public.
export async function GET(request: Request) {
  if (!metricsTokenMatches(request.headers.get('authorization'))) {
    const user = await currentUser();
    if (!user) {
      return problemResponse('unauthorized', 401, 'Send Authorization: Bearer <METRICS_TOKEN>, or sign in as an admin.', {}, { 'WWW-Authenticate': METRICS_REALM });
    }
    if (!hasRole(user.role, 'admin')) return problemResponse('forbidden', 403, `Metrics need the admin role or the metrics token; you are signed in as ${user.role}.`);
  }
  return metricsResponse(appMetrics().registry);
}
