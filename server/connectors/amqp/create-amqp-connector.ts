// The AMQP connector as a factory: inbound consumer and outbound publisher, each on its own connection (a
// broker that throttles publishing must not stall consumption), plus /metrics and /health. main.ts only wires
// the environment; tests run this very connector in-process with their own prefix.
import type { Db } from '@/db/client';
import { DEFAULT_BACKOFF, type Backoff } from './backoff';
import { createChangeStream, type ChangeStream } from './change-stream';
import { createConnectionManager, type ConnectionManager } from './connection';
import { startHttpServer, type ConnectorHttp } from './http-server';
import { createInbound, type RetryPolicy } from './inbound';
import type { RouteName } from './messages';
import { createConnectorMetrics, type ConnectorMetrics } from './metrics';
import { createOutbound, type OutboundSettings } from './outbound';
import { replyQueuePolicy, type Publishers } from './publishers';
import { inboundRoutes } from './routes';
import { declareInbound, topologyNames, type Names, type QueueType } from './topology';

export type AmqpConnectorOptions = {
  db: Db;
  // The outbound stream opens a replication connection of its own to this database (the one behind db).
  databaseUrl: string;
  // The outbound side's few reads (slot, position, names); defaults to db.
  streamDb?: Db;
  url: string;
  prefix?: string;
  // Unacknowledged messages per queue, applied concurrently (same bin or order: one at a time).
  prefetch?: number;
  queueType?: QueueType;
  deliveryLimit?: number;
  retry?: Partial<RetryPolicy>;
  reconnect?: Backoff;
  outbound?: Partial<OutboundSettings> & { enabled?: boolean };
  inbound?: { enabled?: boolean; routes?: RouteName[]; maxBodyBytes?: number };
  // Who may send which command (parsePublishers of AMQP_PUBLISHERS); none when absent.
  publishers?: Publishers;
  // Queues replies may go to besides `<prefix>.replies.*` (AMQP_REPLY_QUEUES, comma-separated).
  replyQueues?: string;
  // null: no HTTP server (the default); 0: any free port.
  httpPort?: number | null;
  httpHost?: string;
  publication?: string;
  log?: (line: string) => void;
};

export type AmqpConnector = {
  start: () => Promise<void>;
  stop: () => Promise<void>;
  health: () => Health;
  readonly metrics: ConnectorMetrics;
  readonly names: Names;
  readonly stream: ChangeStream;
  readonly httpPort: number | undefined;
  readonly connections: { inbound: ConnectionManager | null; outbound: ConnectionManager | null };
};

export type Health = {
  ok: boolean;
  inbound: { enabled: boolean; up: boolean; inFlight: number };
  outbound: { enabled: boolean; up: boolean; streaming: boolean; standby: boolean; caughtUp: boolean; lastError: string | null };
};

export const DEFAULTS = {
  prefix: 'onhand',
  prefetch: 16,
  deliveryLimit: 20,
  // About 25-45 s of tries: a database restart or failover passes without dead letters.
  retry: { attempts: 8, baseMs: 500, maxMs: 15_000 },
  outbound: { batchRows: 1000, maxBuffered: 20_000, idleSaveMs: 10_000, staffDetails: false, backoff: DEFAULT_BACKOFF },
  maxBodyBytes: 1024 * 1024,
} as const;

export function createAmqpConnector(opts: AmqpConnectorOptions): AmqpConnector {
  const log = opts.log ?? ((line: string) => console.log(`[amqp] ${line}`));
  const names = topologyNames(opts.prefix ?? DEFAULTS.prefix);
  const metrics = createConnectorMetrics({
    inFlight: () => inbound.inFlight,
    outboundLagSeconds: () => outbound?.lagSeconds ?? 0,
    connections: () => ({ inbound: inboundConn, outbound: outboundConn }),
  });
  const wanted = new Set(opts.inbound?.routes ?? inboundRoutes.map((r) => r.name));
  const routes = inboundRoutes.filter((r) => wanted.has(r.name));
  const inboundOn = opts.inbound?.enabled !== false && routes.length > 0;
  const outboundOn = opts.outbound?.enabled !== false;
  const connName = `onhand-amqp:${names.prefix}`;

  const stream = createChangeStream({ db: opts.streamDb ?? opts.db, slot: names.slot, publication: opts.publication ?? 'onhand_amqp', exchange: names.stock });

  const inbound = createInbound({
    db: opts.db,
    names,
    routes,
    prefetch: opts.prefetch ?? DEFAULTS.prefetch,
    retry: { ...DEFAULTS.retry, ...opts.retry },
    maxBodyBytes: opts.inbound?.maxBodyBytes ?? DEFAULTS.maxBodyBytes,
    publishers: opts.publishers ?? new Map(),
    replyAllowed: replyQueuePolicy(names.prefix, opts.replyQueues),
    metrics,
    log,
  });
  const inboundConn = inboundOn
    ? createConnectionManager({
        url: opts.url,
        name: `${connName}:inbound`,
        backoff: opts.reconnect,
        log,
        setup: async (conn) => {
          const ch = await conn.createChannel();
          await declareInbound(ch, names, { routes: routes.map((r) => r.name), queueType: opts.queueType ?? 'quorum', deliveryLimit: opts.deliveryLimit ?? DEFAULTS.deliveryLimit });
          await ch.close();
          await inbound.attach(conn, (reason) => inboundConn!.recycle(reason));
        },
      })
    : null;

  const outbound = outboundOn ? createOutbound({ ...DEFAULTS.outbound, ...opts.outbound, stream, databaseUrl: opts.databaseUrl, names, metrics, log }) : null;
  const outboundConn = outbound
    ? createConnectionManager({
        url: opts.url,
        name: `${connName}:outbound`,
        backoff: opts.reconnect,
        log,
        setup: (conn) => outbound.attach(conn, (reason) => outboundConn!.recycle(reason)),
      })
    : null;

  function health(): Health {
    const inUp = !inboundOn || !!inboundConn?.up;
    const outUp = !outbound || (!!outboundConn?.up && (outbound.streaming || outbound.standby));
    return {
      ok: inUp && outUp,
      inbound: { enabled: inboundOn, up: !!inboundConn?.up, inFlight: inbound.inFlight },
      outbound: {
        enabled: outboundOn,
        up: !!outboundConn?.up,
        streaming: !!outbound?.streaming,
        standby: !!outbound?.standby,
        caughtUp: !!outbound?.caughtUp,
        lastError: outbound?.lastError ?? null,
      },
    };
  }

  let http: ConnectorHttp | null = null;
  let probe: NodeJS.Timeout | null = null;

  return {
    async start() {
      if (opts.httpPort !== undefined && opts.httpPort !== null) {
        http = await startHttpServer(opts.httpPort, opts.httpHost, { metrics: metrics.registry, health });
      }
      inboundConn?.start();
      outboundConn?.start();
      outbound?.start();
      probe = setInterval(() => void probeLag(), 2000);
      probe.unref();
    },
    async stop() {
      if (probe) clearInterval(probe);
      // Inbound first: stop taking messages and let those in hand commit and be acknowledged.
      await inbound.drain(10_000);
      await inboundConn?.stop();
      await outbound?.stop();
      await outboundConn?.stop();
      await http?.close();
    },
    health,
    metrics,
    names,
    stream,
    get httpPort() {
      return http?.port;
    },
    connections: { inbound: inboundConn, outbound: outboundConn },
  };

  // How far behind each side is: messages ready per inbound queue, WAL the slot holds for the outbound side.
  async function probeLag() {
    if (outboundOn) {
      const lag = await stream.lagBytes().catch(() => null);
      if (lag !== null) metrics.lagBytes.set(lag);
    }
    const conn = inboundConn?.connection;
    if (!conn || !inboundConn?.up) return;
    try {
      const ch = await conn.createChannel();
      ch.on('error', () => {});
      for (const r of routes) {
        const q = await ch.checkQueue(names.queue(r.name));
        metrics.queueDepth.set({ queue: q.queue }, q.messageCount);
      }
      await ch.close();
    } catch {
      // a closing connection; the next probe tries again
    }
  }
}
