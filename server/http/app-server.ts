// The app's server, the one way the app is started (`npm start`, `npm run start:app`, the tests, the benchmarks):
// Next.js through its programmatic API for pages, server actions, /metrics and every other route, with the REST API
// (/api/v1) served first through the lean path (lean-api.ts) on the same port.
//   node --import tsx server/http/app-server.ts [--dev] [-p PORT] [-H HOSTNAME]
// --dev runs `next dev` (hot reload) and leaves /api/v1 to Next too, so edited handlers reload. ONHAND_LEAN_API=0
// does the same in production: every request through Next, as `next start` served it (to compare, or to rule the
// lean path out).
//
// First, before anything can make a server: every request is stamped with its TCP peer (see peer-header.cjs).
import './peer-header.cjs';
import http from 'node:http';
import path from 'node:path';

type Options = { dev: boolean; port: number; hostname?: string };

function parseArgs(argv: string[]): Options {
  const o: Options = { dev: false, port: Number(process.env.PORT ?? 3000) };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--dev') o.dev = true;
    else if (a === '-p' || a === '--port') o.port = Number(argv[++i]);
    else if (a === '-H' || a === '--hostname') o.hostname = argv[++i];
    else throw new Error(`app-server: unknown argument ${a} (takes --dev, -p PORT, -H HOSTNAME)`);
  }
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535) throw new Error(`app-server: ${o.port} is not a port`);
  return o;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  // As `next start` and `next dev` set it, before Next or React is loaded.
  (process.env as Record<string, string>).NODE_ENV ??= o.dev ? 'development' : 'production';
  process.env.PORT = String(o.port);
  const { default: next } = await import('next');
  const { logger } = await import('@/server/observability/log');
  const log = logger({ log: 'server' });

  const dir = process.cwd();
  const server = http.createServer();
  const app = next({ dev: o.dev, dir, hostname: o.hostname, port: o.port, httpServer: server });
  const handle = app.getRequestHandler();
  const leanWanted = !o.dev && process.env.ONHAND_LEAN_API !== '0';
  // The route modules load (and fail, if one cannot) before the port opens.
  const lean = leanWanted
    ? await (await import('./lean-api')).createLeanApi({ distDir: path.resolve(dir, process.env.NEXT_DIST_DIR ?? '.next'), port: o.port, hostname: o.hostname })
    : null;
  await app.prepare();

  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const served = lean?.serve(req, res);
    const handled: Promise<unknown> = served ? served.then((done) => (done ? undefined : handle(req, res))) : handle(req, res);
    handled.catch((e: unknown) => {
      // As `next start` answers a request its handler failed on.
      log.error({ err: e, url: req.url }, 'request failed');
      if (!res.headersSent) {
        res.statusCode = 500;
        res.end('Internal Server Error');
      } else res.destroy();
    });
  });
  // In dev, Next's hot reload connects over a WebSocket on this server (it adds its upgrade handler itself).

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    // Stop taking connections, let the requests under way finish, then close Next (as `next start` does on a signal).
    const code = signal === 'SIGINT' ? 130 : 143;
    server.close(() => void app.close().finally(() => process.exit(code)));
    server.closeIdleConnections();
    // A client that keeps its connection busy does not hold the process: whoever stopped it waits only so long.
    setTimeout(() => process.exit(code), 5_000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.hostname, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : o.port;
  // Where Next's server actions forward to, as `next start` sets it.
  process.env.__NEXT_PRIVATE_ORIGIN = `http://${!o.hostname || o.hostname === '0.0.0.0' ? 'localhost' : o.hostname}:${port}`;
  log.info({ port, dev: o.dev, leanApi: !!lean, routes: lean?.routes.length ?? 0 }, `app listening on http://${o.hostname ?? 'localhost'}:${port}${lean ? ' (/api/v1 on the lean path)' : ''}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
