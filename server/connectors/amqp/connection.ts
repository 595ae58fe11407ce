// One AMQP connection kept open: connects, runs the owner's setup (channels, consumers) on every (re)connect,
// and reconnects with backoff whenever the connection is lost or the setup fails. Channels never outlive their
// connection here: any channel failure recycles the whole connection, so recovery has exactly one path.
import { connect, type ChannelModel } from 'amqplib';
import { backoffDelay, DEFAULT_BACKOFF, type Backoff } from './backoff';

export type ConnectionManagerOptions = {
  url: string;
  // Shown as connection_name by `rabbitmqctl list_connections` and the management UI.
  name: string;
  setup: (conn: ChannelModel) => Promise<void>;
  onDown?: (reason: string) => void;
  onUp?: () => void;
  backoff?: Backoff;
  heartbeatSeconds?: number;
  log?: (line: string) => void;
};

export type ConnectionManager = {
  start: () => void;
  stop: () => Promise<void>;
  // Closes the current connection so that it is set up again from scratch (a channel died, a consumer was cancelled).
  recycle: (reason: string) => void;
  readonly up: boolean;
  readonly connection: ChannelModel | null;
  readonly reconnects: number;
};

export function createConnectionManager(o: ConnectionManagerOptions): ConnectionManager {
  const log = o.log ?? (() => {});
  const backoff = o.backoff ?? DEFAULT_BACKOFF;
  let current: ChannelModel | null = null;
  let up = false;
  let stopped = true;
  let attempt = 0;
  let reconnects = 0;
  let timer: NodeJS.Timeout | null = null;

  function withHeartbeat(url: string) {
    const u = new URL(url);
    if (!u.searchParams.has('heartbeat')) u.searchParams.set('heartbeat', String(o.heartbeatSeconds ?? 10));
    return u.toString();
  }

  async function connectOnce() {
    if (stopped) return;
    let conn: ChannelModel | null = null;
    try {
      conn = await connect(withHeartbeat(o.url), { clientProperties: { connection_name: o.name }, timeout: 10_000 });
      const mine = conn;
      // Without an error listener a broker-side close would crash the process; 'close' follows it.
      mine.on('error', (e: Error) => log(`${o.name}: connection error: ${e.message}`));
      mine.on('close', (e?: Error) => lost(mine, e?.message ?? 'closed'));
      mine.on('blocked', (reason: string) => log(`${o.name}: broker blocked publishing (${reason})`));
      mine.on('unblocked', () => log(`${o.name}: broker unblocked publishing`));
      current = mine;
      if (stopped) return void (await closeQuietly(mine));
      await o.setup(mine);
      if (current !== mine) return;
      up = true;
      if (attempt > 0) reconnects++;
      attempt = 0;
      log(`${o.name}: connected`);
      o.onUp?.();
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      log(`${o.name}: cannot connect or set up (${reason})`);
      if (conn && current === conn) {
        current = null;
        await closeQuietly(conn);
      }
      schedule();
    }
  }

  function lost(conn: ChannelModel, reason: string) {
    if (current !== conn) return;
    current = null;
    const wasUp = up;
    up = false;
    if (stopped) return;
    log(`${o.name}: connection lost (${reason}); reconnecting`);
    if (wasUp) o.onDown?.(reason);
    schedule();
  }

  function schedule() {
    if (stopped || timer) return;
    const delay = backoffDelay(backoff, attempt++);
    timer = setTimeout(() => {
      timer = null;
      void connectOnce();
    }, delay);
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      void connectOnce();
    },
    async stop() {
      stopped = true;
      up = false;
      if (timer) clearTimeout(timer);
      timer = null;
      const conn = current;
      current = null;
      if (conn) await closeQuietly(conn);
    },
    recycle(reason: string) {
      const conn = current;
      if (!conn || stopped) return;
      log(`${o.name}: recycling the connection (${reason})`);
      // The close event then schedules the reconnect, like any other loss.
      void conn.close().catch(() => lost(conn, reason));
    },
    get up() {
      return up;
    },
    get connection() {
      return current;
    },
    get reconnects() {
      return reconnects;
    },
  };
}

async function closeQuietly(conn: ChannelModel) {
  await conn.close().catch(() => {});
}
