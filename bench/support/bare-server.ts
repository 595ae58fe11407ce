// The reference for availability reads: a bare Node HTTP server answering every request with one constant JSON body
// of the size of a three-SKU availability answer, in its own process as the sidecar is. PORT names its port.
import http from 'node:http';

const body = JSON.stringify({
  items: ['SKU-000001', 'SKU-000002', 'SKU-000003'].map((sku) => ({ sku, available: 1000000, status: 'in_stock', updatedAt: '2026-01-01T00:00:00.000Z' })),
  unknown: [],
});
const server = http.createServer((_req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'public, max-age=2' });
  res.end(body);
});
server.keepAliveTimeout = 30_000;
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
