// Who may read metrics and health details: Prometheus with `Authorization: Bearer $METRICS_TOKEN`, the same token
// for the app, the sidecar and the connector. The app also lets a signed-in admin look (app/metrics/route.ts); the
// sidecar and the connector have no sessions, so without METRICS_TOKEN set their /metrics answer 401 to everyone.
// The figures are counts and timings only, but they tell how busy the business is, so they are not public.
import { createHash, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import type { Registry } from 'prom-client';
import { PROBLEM_BASE, problemTitles } from '@/server/adapters/middle';
import { writeMetrics } from './exposition';

export const METRICS_REALM = 'Bearer realm="onhand-metrics"';

// Compared as digests, so neither the length nor the content of the token leaks through timing.
export function metricsTokenMatches(authorization: string | null | undefined, token = process.env.METRICS_TOKEN): boolean {
  const sent = authorization?.match(/^Bearer[ ]+(\S+)[ ]*$/i)?.[1];
  if (!token || !sent) return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(sent), digest(token));
}

// GET /metrics on the sidecar's and the connector's own HTTP servers.
export function writeMetricsIfAllowed(req: http.IncomingMessage, res: http.ServerResponse, registry: Registry): void {
  if (metricsTokenMatches(req.headers.authorization)) return void writeMetrics(res, registry);
  const detail = process.env.METRICS_TOKEN
    ? 'Send Authorization: Bearer <METRICS_TOKEN>.'
    : 'Metrics are not served until METRICS_TOKEN is set; then send it as Authorization: Bearer <METRICS_TOKEN>.';
  res.writeHead(401, { 'content-type': 'application/problem+json', 'cache-control': 'no-store', 'www-authenticate': METRICS_REALM });
  res.end(JSON.stringify({ type: `${PROBLEM_BASE}unauthorized`, title: problemTitles.unauthorized, status: 401, detail }));
}
