// The realtime sidecar as a factory: attaches Socket.IO, /health and /metrics to an HTTP server, follows the
// database's committed changes and fans them out to rooms. main.ts only wires the environment and listens.
import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import { performance } from 'node:perf_hooks';
import { Server, type Namespace } from 'socket.io';
import { connect } from '@/db/client';
import type { Role } from '@/db/schema';
import { STOREFRONT_NAMESPACE, rooms, type AlertMessage, type ApprovalMessage, type LevelMessage, type PlaceMessage } from '@/lib/contracts/realtime';
import { nodeRequestAddress } from '@/server/http/client-address';
import { publicLimiter } from '@/server/http/rate-limit';
import { writeMetricsIfAllowed } from '@/server/observability/metrics-access';
import { AVAILABILITY_PATH } from '@/server/storefront/availability/query';
import { loadChannels } from '@/server/storefront/channels';
import { AvailabilityCache } from './availability-cache';
import { createAvailabilityHttp } from './availability-http';
import { createChangeFeed, type FeedEvent } from './change-feed';
import { ChannelDirectory } from './channel-directory';
import { buildEmbedScript, EMBED_PATH, serveEmbedScript } from './embed-script';
import { createIngest } from './ingest';
import { createRealtimeMetrics, type RealtimeMetrics } from './metrics';
import { originPolicy } from './origins';
import { loadLevels, loadLocations, loadProductBySku, loadProducts, loadUserRole, warehouseIdExists } from './snapshot';
import { createSkuLookup } from './sku-lookup';
import { setupStaffNamespace, type StaffNamespace } from './staff-namespace';
import { setupStorefrontNamespace, type StorefrontLimits, type StorefrontNamespace } from './storefront-namespace';

export type RealtimeDeps = {
  databaseUrl: string;
  tokenKey: Buffer;
  // The app's origin: the only page origin allowed on staff sockets.
  appUrl: string;
  publication?: string;
  storefrontTickMs?: number;
  // Per client address on the storefront namespace (defaults in storefront-namespace.ts; env in main.ts).
  storefrontLimits?: Partial<StorefrontLimits>;
  // How often product thresholds are re-read (products are not in the publication).
  productRefreshMs?: number;
  log?: (line: string) => void;
};

export type Realtime = {
  io: Server;
  // Resolves once the first subscription is up and its snapshot loaded.
  ready: Promise<void>;
  metrics: RealtimeMetrics;
  cache: AvailabilityCache;
  feed: { readonly up: boolean; readonly pid: number | undefined; readonly applicationName: string };
  close: () => Promise<void>;
};

const ROLE_CACHE_MS = 2000;

export function createRealtime(httpServer: http.Server, deps: RealtimeDeps): Realtime {
  const log = deps.log ?? ((line: string) => console.log(`[realtime] ${line}`));
  // Every query the sidecar sends (not the replication stream) is counted: the storefront read promises none per request.
  const db = connect(deps.databaseUrl, { max: 4, debug: () => metrics.dbQueries.inc() });
  const cache = new AvailabilityCache();
  const channels = new ChannelDirectory(deps.appUrl);
  const origins = originPolicy(deps.appUrl, channels);
  const ensureSkus = createSkuLookup(cache, async (skus) => {
    for (const p of await loadProductBySku(db.db, skus)) cache.putProduct(p);
  });
  let snapshotLoaded = false;

  // Registered before Socket.IO attaches, so Socket.IO hands us every request that is not its own.
  httpServer.on('request', (req, res) => {
    if (req.url?.startsWith('/socket.io/')) return;
    const url = new URL(req.url ?? '/', 'http://sidecar');
    if (url.pathname === AVAILABILITY_PATH) return void availabilityHttp(req, res, url);
    if (url.pathname === EMBED_PATH) return void embedScript(req, res);
    if (req.url === '/health') {
      const ok = feed.up && snapshotLoaded;
      res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      return res.end(JSON.stringify({ ok, feed: ok ? 'live' : 'down', clients: io.engine.clientsCount }));
    }
    if (req.url === '/metrics') return void writeMetricsIfAllowed(req, res, metrics.registry);
    res.writeHead(404).end();
  });

  const io = new Server(httpServer, {
    serveClient: false,
    // Off so a broadcast is framed once for all recipients instead of compressed per socket.
    perMessageDeflate: false,
    cors: { origin: (origin, cb) => cb(null, origins.allowsConnection(origin)) },
    allowRequest: (req, cb) => cb(null, origins.allowsConnection(req.headers.origin)),
  });
  // Keep only the Origin and the client's address (the shared rule, TRUST_PROXY included) and let the handshake
  // request (headers, socket references) be collected.
  const originByConn = new WeakMap<object, string | undefined>();
  const addressByConn = new WeakMap<object, string>();
  io.engine.on('connection', (raw: { request: http.IncomingMessage | null }) => {
    originByConn.set(raw, raw.request?.headers.origin);
    if (raw.request) addressByConn.set(raw, nodeRequestAddress(raw.request));
    raw.request = null;
  });
  const originOf = (socket: { conn: object }) => originByConn.get(socket.conn);
  const addressOf = (socket: { conn: object }) => addressByConn.get(socket.conn) ?? 'unidentified';

  const staff = io.of('/') as unknown as StaffNamespace;
  const storefrontNsp = io.of(STOREFRONT_NAMESPACE) as unknown as StorefrontNamespace;
  const metrics = createRealtimeMetrics({
    staffClients: () => staff.sockets.size,
    storefrontClients: () => storefrontNsp.sockets.size,
    feedUp: () => feed.up && snapshotLoaded,
    cachedSkus: () => cache.skuCount,
  });

  const roles = new Map<string, { role: Role | null; at: number }>();
  const staffAccess = setupStaffNamespace(staff, {
    tokenKey: deps.tokenKey,
    allowsOrigin: origins.allowsStaff,
    originOf,
    metrics,
    async currentRole(userId) {
      const hit = roles.get(userId);
      if (hit && Date.now() - hit.at < ROLE_CACHE_MS) return hit.role;
      const role = await loadUserRole(db.db, userId);
      roles.set(userId, { role, at: Date.now() });
      return role;
    },
    async warehouseExists(id) {
      if (cache.warehouseIds.has(id)) return true;
      for (const l of await loadLocations(db.db, { warehouseId: id })) cache.putLocation(l);
      // A new warehouse has no bins yet; its room is open all the same.
      if (!cache.warehouseIds.has(id) && (await warehouseIdExists(db.db, id))) cache.warehouseIds.add(id);
      return cache.warehouseIds.has(id);
    },
  });

  const storefront = setupStorefrontNamespace(storefrontNsp, {
    cache,
    metrics,
    channels,
    originOf,
    addressOf,
    limits: deps.storefrontLimits,
    tickMs: deps.storefrontTickMs ?? 25,
    ensureSkus,
  });

  const availabilityHttp = createAvailabilityHttp({ cache, channels, metrics, limiter: publicLimiter, ensureSkus, live: () => feed.up && snapshotLoaded });
  const embedScript = serveEmbedScript(buildEmbedScript(), log);

  // A channel row changed: reload them all (a handful of rows), coalescing a burst of row changes into one read.
  let channelReload: Promise<void> | null = null;
  let channelReloadAgain = false;
  function reloadChannels() {
    if (channelReload) {
      channelReloadAgain = true;
      return;
    }
    channelReload = loadChannels(db.db)
      .then((list) => {
        channels.replace(list);
        storefront.channelsChanged();
      })
      .catch((e) => {
        // A failed read must not leave stale channel rules in force until the next edit: try again shortly.
        log(`channels reload failed (${e instanceof Error ? e.message : e}); retrying`);
        setTimeout(reloadChannels, 500).unref();
      })
      .finally(() => {
        channelReload = null;
        if (channelReloadAgain) {
          channelReloadAgain = false;
          reloadChannels();
        }
      });
  }

  // room null: every socket of the namespace.
  const broadcast = (nsp: Namespace | StaffNamespace, room: string | null, event: 'level' | 'alert' | 'place' | 'approval', msg: LevelMessage | AlertMessage | PlaceMessage | ApprovalMessage) => {
    const members = room === null ? nsp.sockets.size : (nsp.adapter.rooms.get(room)?.size ?? 0);
    if (!members) return;
    const started = performance.now();
    (room === null ? (nsp as Namespace) : (nsp as Namespace).to(room)).emit(event, msg);
    if (event === 'level') metrics.fanout.observe((performance.now() - started) / 1000);
    metrics.broadcasts.inc({ event });
    metrics.messagesOut.inc({ event }, members);
  };

  const ingest = createIngest({
    cache,
    metrics,
    log,
    async loadMissing({ productIds, locationIds }) {
      const [prods, locs] = await Promise.all([
        productIds.length ? loadProducts(db.db, productIds) : [],
        locationIds.length ? loadLocations(db.db, { ids: locationIds }) : [],
      ]);
      prods.forEach((p) => cache.putProduct(p));
      locs.forEach((l) => cache.putLocation(l));
    },
    emitLevel: (msg) => broadcast(staff, rooms.warehouse(msg.warehouseId), 'level', msg),
    emitAlert: (msg) => broadcast(staff, rooms.alerts, 'alert', msg),
    emitPlace: (msg) => broadcast(staff, msg.kind === 'location' ? rooms.warehouse(msg.warehouseId) : null, 'place', msg),
    emitApproval: (msg) => broadcast(staff, rooms.approvals, 'approval', msg),
    productChanged: (id) => storefront.productChanged(id),
    // The feed can deliver a commit a moment before a new query sees it (the walsender sends it once it is flushed,
    // the committing backend becomes visible just after): read now, and once more shortly after.
    channelsChanged: () => {
      reloadChannels();
      setTimeout(reloadChannels, 300).unref();
    },
  });

  // Sessions and users (a few published columns, no secrets): who may still listen, acted on as soon as it commits.
  function followPeople(e: FeedEvent) {
    if (e.table === 'sessions' && e.command === 'delete' && typeof e.row?.id === 'string') return staffAccess.sessionEnded(e.row.id);
    if (e.table !== 'users' || typeof e.row?.id !== 'string') return;
    roles.delete(e.row.id);
    if (e.command === 'delete') return staffAccess.userChanged(e.row.id, null, false);
    if (e.command === 'update') staffAccess.userChanged(e.row.id, e.row.role as Role, e.row.active !== false && e.row.active !== 'f');
  }

  // After every (re)subscription: reload everything, merge by version, and tell every client to refetch.
  let resyncRun = 0;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  async function resync() {
    const run = ++resyncRun;
    snapshotLoaded = false;
    try {
      const [locs, prods, levels, chans] = await Promise.all([loadLocations(db.db), loadProducts(db.db), loadLevels(db.db), loadChannels(db.db)]);
      if (run !== resyncRun) return;
      channels.replace(chans);
      storefront.channelsChanged();
      locs.forEach((l) => cache.putLocation(l));
      const changed = new Set(prods.filter((p) => cache.putProduct(p)).map((p) => p.id));
      for (const id of cache.mergeSnapshot(levels)) changed.add(id);
      snapshotLoaded = true;
      metrics.resyncs.inc();
      const at = new Date().toISOString();
      staff.emit('resync', { reason: 'feed_resubscribed', at });
      storefront.resync(at);
      changed.forEach((id) => storefront.productChanged(id));
      markReady();
    } catch (e) {
      log(`snapshot reload failed (${e instanceof Error ? e.message : e}); retrying`);
      setTimeout(() => run === resyncRun && feed.up && void resync(), 1000).unref();
    }
  }

  const applicationName = `onhand-realtime-${randomBytes(3).toString('hex')}`;
  const feed = createChangeFeed({
    url: deps.databaseUrl,
    publication: deps.publication ?? 'onhand',
    applicationName,
    log,
    onChange: (e) => {
      followPeople(e);
      ingest.push(e);
    },
    onSubscribed: () => void resync(),
    onLost: () => {
      snapshotLoaded = false;
      metrics.feedLosses.inc();
    },
  });
  void feed.start();

  // Thresholds live on products, which are not in the publication: re-read them now and then.
  const refresh = setInterval(async () => {
    try {
      for (const p of await loadProducts(db.db)) if (cache.putProduct(p)) storefront.productChanged(p.id);
    } catch {
      // the next tick tries again
    }
  }, deps.productRefreshMs ?? 60_000);
  refresh.unref();

  return {
    io,
    ready,
    metrics,
    cache,
    feed: {
      get up() {
        return feed.up && snapshotLoaded;
      },
      get pid() {
        return feed.pid;
      },
      applicationName,
    },
    async close() {
      clearInterval(refresh);
      storefront.close();
      await feed.stop();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await db.close();
    },
  };
}
