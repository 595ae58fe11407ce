// The connector's own small HTTP port: /metrics (Prometheus text) and /health (JSON, 503 while not healthy).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { metricsTokenMatches, writeMetricsIfAllowed } from '@/server/observability/metrics-access';

export type HttpEndpoints = { metrics: Registry; health: () => { ok: boolean } & Record<string, unknown> };

export type ConnectorHttp = { port: number; close: () => Promise<void> };

export async function startHttpServer(port: number, host: string | undefined, e: HttpEndpoints): Promise<ConnectorHttp> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { allow: 'GET, HEAD' }).end();
    if (path === '/metrics') return void writeMetricsIfAllowed(req, res, e.metrics);
    if (path === '/health') {
      const h = e.health();
      res.writeHead(h.ok ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      // Up or down, and which side, for anyone (a probe); the last errors (hosts, queue names) with the metrics token.
      return void res.end(JSON.stringify(metricsTokenMatches(req.headers.authorization) ? h : withoutErrors(h)));
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function withoutErrors(h: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(h)) {
    if (k === 'lastError') continue;
    out[k] = v !== null && typeof v === 'object' && !Array.isArray(v) ? withoutErrors(v as Record<string, unknown>) : v;
  }
  return out;
}
