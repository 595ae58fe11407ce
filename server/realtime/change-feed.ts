// Follows committed changes through logical replication (postgres.js `sql.subscribe`, pgoutput, commit order)
// and keeps following them: the driver does not always reconnect a killed replication connection by itself,
// so this supervisor notices a lost stream and subscribes again, each time on a new temporary slot.
import postgres from 'postgres';

export type FeedRow = Record<string, unknown>;
export type FeedEvent = { table: string; command: 'insert' | 'update' | 'delete'; row: FeedRow | null };

export type ChangeFeedOptions = {
  url: string;
  publication: string;
  // Shown in pg_stat_activity, so an operator (or a test) can find this sidecar's walsender.
  applicationName: string;
  onChange: (e: FeedEvent) => void;
  // Called after every successful (re)subscription: whatever committed while away was not replayed.
  onSubscribed: () => void;
  onLost: (reason: string) => void;
  log?: (line: string) => void;
};

export type ChangeFeed = {
  start: () => Promise<void>;
  stop: () => Promise<void>;
  readonly up: boolean;
  // The walsender's backend pid while subscribed.
  readonly pid: number | undefined;
};

const WATCH_MS = 250;
const MAX_BACKOFF_MS = 5000;

export function createChangeFeed(o: ChangeFeedOptions): ChangeFeed {
  let generation = 0;
  let current: { sql: postgres.Sql; state: { pid?: number } } | null = null;
  let up = false;
  let stopped = false;
  let retryTimer: NodeJS.Timeout | null = null;
  let backoff = 250;
  const log = o.log ?? (() => {});

  async function subscribeOnce(): Promise<void> {
    const gen = ++generation;
    const sql = postgres(o.url, {
      publications: o.publication,
      max: 1,
      connect_timeout: 5,
      onnotice: () => {},
      connection: { application_name: o.applicationName },
    });
    const mine = () => gen === generation && !stopped;
    const handle = await sql
      .subscribe(
        '*',
        (row, info) => {
          if (!mine()) return;
          o.onChange({ table: info.relation.table, command: info.command as FeedEvent['command'], row: (row ?? null) as FeedRow | null });
        },
        // Also called if the driver manages to reconnect on its own: that, too, is a resubscription.
        () => mine() && subscribed(),
        () => mine() && lost('replication stream error'),
      )
      .catch(async (e) => {
        await sql.end({ timeout: 0 }).catch(() => {});
        throw e;
      });
    if (!mine()) {
      await sql.end({ timeout: 0 }).catch(() => {});
      return;
    }
    // The handle also carries the walsender's pid (typed only as { unsubscribe }); it is unset once the stream dies.
    current = { sql, state: (handle as unknown as { state: { pid?: number } }).state };
  }

  function subscribed() {
    up = true;
    backoff = 250;
    o.onSubscribed();
  }

  function lost(reason: string) {
    if (!up || stopped) return;
    up = false;
    log(`change feed lost (${reason}); subscribing again`);
    o.onLost(reason);
    const old = current;
    current = null;
    generation++;
    void old?.sql.end({ timeout: 0 }).catch(() => {});
    schedule(0);
  }

  function schedule(delay: number) {
    if (stopped || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      subscribeOnce().catch((e) => {
        log(`change feed: cannot subscribe (${e instanceof Error ? e.message : e}); retrying in ${backoff} ms`);
        const wait = backoff;
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        schedule(wait);
      });
    }, delay);
  }

  // The stream's error event is not guaranteed on every kind of loss; a vanished backend pid is.
  const watchdog = setInterval(() => {
    if (up && current && current.state.pid === undefined) lost('replication connection closed');
  }, WATCH_MS);
  watchdog.unref();

  return {
    // Never throws: a database that is not there yet is retried with backoff, like a lost one.
    async start() {
      await subscribeOnce().catch((e) => {
        log(`change feed: cannot subscribe (${e instanceof Error ? e.message : e}); retrying`);
        schedule(backoff);
      });
    },
    async stop() {
      stopped = true;
      up = false;
      clearInterval(watchdog);
      if (retryTimer) clearTimeout(retryTimer);
      const old = current;
      current = null;
      await old?.sql.end({ timeout: 1 }).catch(() => {});
    },
    get up() {
      return up;
    },
    get pid() {
      return current?.state.pid;
    },
  };
}
