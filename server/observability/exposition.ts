// A registry's answer to a Prometheus scrape, for the app's route handler (fetch Response) and for the
// sidecar's and connector's own node:http servers.
import type http from 'node:http';
import type { Registry } from 'prom-client';

const headers = (registry: Registry) => ({ 'content-type': registry.contentType, 'cache-control': 'no-store' });

export async function metricsResponse(registry: Registry): Promise<Response> {
  return new Response(await registry.metrics(), { headers: headers(registry) });
}

export async function writeMetrics(res: http.ServerResponse, registry: Registry): Promise<void> {
  try {
    const text = await registry.metrics();
    res.writeHead(200, headers(registry)).end(text);
  } catch (e) {
    // A collector that throws must not take the server down: the scrape fails, the next one tries again.
    res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics unavailable: ${e instanceof Error ? e.message : String(e)}\n`);
  }
}
