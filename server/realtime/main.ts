// The realtime sidecar's entry point: read the environment, build the sidecar, listen. Everything else is
// in createRealtime, so tests run the very same sidecar in-process.
import http from 'node:http';
import { createRealtime } from './create-realtime';
import { deriveTokenKey } from '@/server/auth/socket-token';
import { lineLogger, logger, setLogPart } from '@/server/observability/log';

setLogPart('realtime');
const log = logger();

const port = Number(process.env.REALTIME_PORT ?? 3001);
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('DATABASE_URL is not set: start Onhand with `npm start`, which provides it.');

// A positive whole number from the environment, or undefined for the default.
function positive(value: string | undefined): number | undefined {
  const n = Number(value);
  return value && Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

const server = http.createServer();
const realtime = createRealtime(server, {
  databaseUrl,
  tokenKey: deriveTokenKey(process.env.BETTER_AUTH_SECRET ?? ''),
  appUrl: process.env.ONHAND_URL ?? `http://localhost:${process.env.PORT ?? 3000}`,
  storefrontLimits: {
    socketsPerAddress: positive(process.env.STOREFRONT_SOCKETS_PER_ADDRESS),
    skusPerAddress: positive(process.env.STOREFRONT_SKUS_PER_ADDRESS),
  },
  log: lineLogger(log),
});
// The database driver may reject inside its own reconnect; the feed's supervisor recovers, so log, don't die.
process.on('unhandledRejection', (e) => log.error({ err: e }, 'unhandled rejection'));
server.listen(port, () => log.info({ port }, `listening on :${port}`));

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  realtime.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
