// The realtime sidecar's entry point. For now it answers /health; the change feed arrives with its issue.
import http from 'node:http';

const port = Number(process.env.REALTIME_PORT ?? 3001);
const server = http.createServer((req, res) => {
  if (req.url === '/health') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: true }));
    return;
  }
  res.writeHead(404).end();
});
server.listen(port, () => console.log(`[realtime] listening on :${port}`));
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
