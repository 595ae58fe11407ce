// The connector's entry point, started by `npm start` when AMQP_URL is set: read the environment, build the
// connector, serve /metrics and /health. Everything else is in createAmqpConnector.
import { connect, databaseUrl } from '@/db/client';
import { lineLogger, logger, setLogPart } from '@/server/observability/log';
import { parsePublishers } from './publishers';
import { createAmqpConnector } from './create-amqp-connector';

setLogPart('amqp');
const log = logger();

const url = process.env.AMQP_URL;
if (!url) throw new Error('AMQP_URL is not set: the connector has nothing to connect to.');
const num = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined);

const commands = connect(databaseUrl(), { max: num('AMQP_DB_POOL') ?? 10 });
const stream = connect(databaseUrl(), { max: 2 });
const connector = createAmqpConnector({
  db: commands.db,
  databaseUrl: databaseUrl(),
  streamDb: stream.db,
  url,
  prefix: process.env.AMQP_PREFIX || undefined,
  prefetch: num('AMQP_PREFETCH'),
  httpPort: num('AMQP_METRICS_PORT') ?? 3002,
  outbound: { enabled: process.env.AMQP_OUTBOUND !== 'off', staffDetails: process.env.AMQP_OUTBOUND_STAFF_DETAILS === 'on' },
  inbound: { enabled: process.env.AMQP_INBOUND !== 'off' },
  publishers: parsePublishers(process.env.AMQP_PUBLISHERS),
  replyQueues: process.env.AMQP_REPLY_QUEUES,
  log: lineLogger(log),
});
// A driver rejecting inside its own reconnect is recovered by the loops that own it: log, don't die.
process.on('unhandledRejection', (e) => log.error({ err: e }, 'unhandled rejection'));

await connector.start();
log.info({ port: connector.httpPort, prefix: connector.names.prefix }, `metrics on :${connector.httpPort}; prefix ${connector.names.prefix}`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  try {
    await connector.stop();
    await Promise.all([commands.close(), stream.close()]);
    process.exit(0);
  } catch {
    process.exit(1);
  }
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
