// Helpers for the sidecar's integration tests: a real sidecar in-process on a free port, real socket.io
// clients, users with roles, and a model browser that keeps levels the way the live hook does.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { sql } from 'drizzle-orm';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { inject } from 'vitest';
import type { Connection } from '@/db/client';
import { freePort } from '@/db/provision';
import { channels, channelWarehouses, users, type Role } from '@/db/schema';
import {
  STOREFRONT_NAMESPACE,
  versionStep,
  type JoinResult,
  type LevelMessage,
  type StaffClientEvents,
  type StaffServerEvents,
  type StorefrontClientEvents,
  type StorefrontServerEvents,
} from '@/lib/contracts/realtime';
import { createRealtime, type Realtime } from './create-realtime';
import type { StorefrontLimits } from './storefront-namespace';
import { deriveTokenKey, mintToken } from '@/server/auth/socket-token';

export const APP_URL = 'http://app.onhand.test';
export const tokenKey = deriveTokenKey('test-secret-test-secret-test-secret-0123');

export type Sidecar = { url: string; port: number; realtime: Realtime; close: () => Promise<void> };

export async function startSidecar(
  opts: { port?: number; tickMs?: number; databaseUrl?: string; productRefreshMs?: number; storefrontLimits?: Partial<StorefrontLimits> } = {},
): Promise<Sidecar> {
  const port = opts.port ?? (await freePort());
  const server = http.createServer();
  const realtime = createRealtime(server, {
    databaseUrl: opts.databaseUrl ?? inject('databaseUrl'),
    tokenKey,
    productRefreshMs: opts.productRefreshMs,
    storefrontLimits: opts.storefrontLimits,
    appUrl: APP_URL,
    storefrontTickMs: opts.tickMs ?? 10,
    log: process.env.SIDECAR_LOG ? (l: string) => console.log('[sidecar]', l) : () => {},
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  await realtime.ready;
  return { url: `http://127.0.0.1:${port}`, port, realtime, close: () => realtime.close() };
}

// A storefront channel of the test's own (the database is shared by every test file running at once).
export async function makeChannel(
  conn: Connection,
  o: { origins?: string[]; warehouseIds?: number[]; lowStockThreshold?: number | null; buffer?: number } = {},
): Promise<string> {
  const key = `t-${randomBytes(5).toString('hex')}`;
  const [c] = await conn.db
    .insert(channels)
    .values({ key, name: `Test ${key}`, allowedOrigins: o.origins ?? [], lowStockThreshold: o.lowStockThreshold ?? null, buffer: o.buffer ?? 0 })
    .returning();
  if (o.warehouseIds?.length) await conn.db.insert(channelWarehouses).values(o.warehouseIds.map((warehouseId) => ({ channelId: c.id, warehouseId })));
  return key;
}

export async function makeUser(conn: Connection, role: Role): Promise<string> {
  const id = `u_${randomBytes(6).toString('hex')}`;
  await conn.db.insert(users).values({ id, name: `Test ${role}`, email: `${id}@onhand.test`, role });
  return id;
}

// The session id is made up: the sidecar only matches it against ended sessions.
export const tokenFor = (id: string, role: Role, sessionId = `s_${id}`) => mintToken(tokenKey, { id, role, sessionId }).token;

export type StaffSocket = Socket<StaffServerEvents, StaffClientEvents>;
export type StorefrontSocket = Socket<StorefrontServerEvents, StorefrontClientEvents>;

const clientOptions = { transports: ['websocket'], forceNew: true, reconnectionDelay: 50, reconnectionDelayMax: 300 };

// A fresh token on every (re)connection, as the browser fetches one from the app.
export function staffClient(url: string, token: () => string | undefined, extra: { origin?: string } = {}): StaffSocket {
  return connectSocket(url, {
    ...clientOptions,
    auth: (cb) => cb({ token: token() }),
    extraHeaders: extra.origin ? { origin: extra.origin } : undefined,
  });
}

export function storefrontClient(url: string, extra: { origin?: string } = {}): StorefrontSocket {
  return connectSocket(`${url}${STOREFRONT_NAMESPACE}`, { ...clientOptions, extraHeaders: extra.origin ? { origin: extra.origin } : undefined });
}

export function connected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.connected) return resolve();
    socket.once('connect', () => resolve());
    socket.once('connect_error', (e) => reject(e));
  });
}

export function join(socket: StaffSocket, roomNames: string[]): Promise<JoinResult> {
  return socket.timeout(5000).emitWithAck('join', { rooms: roomNames });
}

// Every message of one event a socket receives, in order.
export function collect<T>(socket: StaffSocket | StorefrontSocket, event: 'level' | 'alert' | 'place' | 'approval' | 'availability'): T[] {
  const out: T[] = [];
  (socket as unknown as { on: (e: string, f: (m: T) => void) => void }).on(event, (m) => out.push(m));
  return out;
}

export { waitFor } from '@/server/testing/fixtures';

type Held = { onHand: number; reserved: number; version: number };
const key = (productId: number, locationId: number) => `${productId}:${locationId}`;

// The database's figures for one warehouse, as the app's snapshot query would return them.
export async function levelsInWarehouse(conn: Connection, warehouseId: number): Promise<Map<string, Held>> {
  const rows = (await conn.db.execute(sql`
    SELECT s.product_id, s.location_id, s.on_hand, s.reserved, s.version FROM stock_levels s
    JOIN locations l ON l.id = s.location_id WHERE l.warehouse_id = ${warehouseId}`)) as unknown as {
    product_id: number;
    location_id: number;
    on_hand: number;
    reserved: number;
    version: number;
  }[];
  return new Map(rows.map((r) => [key(r.product_id, r.location_id), { onHand: r.on_hand, reserved: r.reserved, version: r.version }]));
}

// A model of a dashboard tab: a snapshot patched by next-version messages and refetched on a gap, a
// reconnect or `resync` (and again if a message lands while a refetch is in flight, as invalidation does).
export class WarehouseMirror {
  levels = new Map<string, Held>();
  refetches = 0;
  resyncs = 0;
  received: LevelMessage[] = [];
  private fetching = false;
  private again = false;

  constructor(
    readonly socket: StaffSocket,
    private readonly conn: Connection,
    readonly warehouseId: number,
  ) {
    socket.on('level', (m) => this.onLevel(m));
    socket.on('resync', () => {
      this.resyncs++;
      void this.refetch();
    });
    socket.on('connect', () => {
      void join(socket, [`warehouse:${warehouseId}`]).then(() => this.refetch());
    });
  }

  private onLevel(m: LevelMessage) {
    this.received.push(m);
    if (this.fetching) return void (this.again = true);
    const held = this.levels.get(key(m.productId, m.locationId));
    const step = versionStep(held?.version ?? 0, m.version);
    if (step === 'next') this.levels.set(key(m.productId, m.locationId), { onHand: m.onHand, reserved: m.reserved, version: m.version });
    else if (step === 'gap') void this.refetch();
  }

  async refetch(): Promise<void> {
    if (this.fetching) return void (this.again = true);
    this.fetching = true;
    try {
      do {
        this.again = false;
        this.refetches++;
        this.levels = await levelsInWarehouse(this.conn, this.warehouseId);
      } while (this.again);
    } finally {
      this.fetching = false;
    }
  }

  async matchesDatabase(): Promise<boolean> {
    const db = await levelsInWarehouse(this.conn, this.warehouseId);
    if (db.size !== this.levels.size) return false;
    for (const [k, v] of db) {
      const mine = this.levels.get(k);
      if (!mine || mine.onHand !== v.onHand || mine.reserved !== v.reserved || mine.version !== v.version) return false;
    }
    return true;
  }
}
