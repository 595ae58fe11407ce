// Live clients as the product's own clients behave, connected to real sidecar processes:
//  - a storefront badge page on /storefront: subscribes to its SKUs (the ack gives the figures), keeps every
//    `availability` with a higher version, and subscribes again after a reconnect or a `resync`;
//  - a staff tab on the default namespace: joins its warehouse room, holds a snapshot fetched from the app
//    (GET /api/v1/stock), patches it with next-version `level` messages and refetches on a gap, a reconnect or
//    a `resync`, retrying a failed fetch on the next app instance as the browser's query cache retries.
import { io as connectSocket, type Socket } from 'socket.io-client';
import {
  STOREFRONT_NAMESPACE,
  versionStep,
  type AvailabilityMessage,
  type StockStatus,
  type LevelMessage,
  type StaffClientEvents,
  type StaffServerEvents,
  type StorefrontClientEvents,
  type StorefrontServerEvents,
} from '@/lib/contracts/realtime';
import { deriveTokenKey, mintToken } from '@/server/auth/socket-token';
import type { Proc } from './cluster';
import type { World } from './world';

const socketOptions = { transports: ['websocket'], forceNew: true, reconnectionDelay: 100, reconnectionDelayMax: 1000 };

export type Figures = Map<string, { available: number; status: StockStatus; version: number }>;
export type Levels = Map<string, { onHand: number; reserved: number; version: number }>;

export interface LiveClient {
  readonly name: string;
  readonly sidecar: Proc;
  readonly socket: Socket;
  reconnects: number;
  resyncs: number;
  close(): void;
}

export class StorefrontPage implements LiveClient {
  readonly socket: Socket<StorefrontServerEvents, StorefrontClientEvents>;
  readonly shown: Figures = new Map();
  reconnects = 0;
  resyncs = 0;
  subscribes = 0;
  private connects = 0;

  constructor(
    readonly name: string,
    readonly sidecar: Proc,
    private readonly skus: string[],
  ) {
    this.socket = connectSocket(`${sidecar.url}${STOREFRONT_NAMESPACE}`, socketOptions);
    this.socket.on('availability', (m) => this.put(m));
    this.socket.on('connect', () => {
      if (this.connects++ > 0) this.reconnects++;
      void this.subscribe();
    });
    this.socket.on('resync', () => {
      this.resyncs++;
      void this.subscribe();
    });
  }

  private put(m: AvailabilityMessage) {
    if ((this.shown.get(m.sku)?.version ?? -1) < m.version) this.shown.set(m.sku, { available: m.available, status: m.status, version: m.version });
  }

  private async subscribe() {
    for (let attempt = 0; this.socket.connected; attempt++) {
      try {
        const ack = await this.socket.timeout(5000).emitWithAck('subscribe', { skus: this.skus });
        if (ack.ok) {
          this.subscribes++;
          ack.items.forEach((m: AvailabilityMessage) => this.put(m));
          return;
        }
      } catch {
        // no ack: the sidecar went away or is busy; the reconnect subscribes again
      }
      await new Promise((r) => setTimeout(r, 200 * Math.min(attempt + 1, 5)));
    }
  }

  close() {
    this.socket.close();
  }
}

export class StaffTab implements LiveClient {
  readonly socket: Socket<StaffServerEvents, StaffClientEvents>;
  levels: Levels = new Map();
  reconnects = 0;
  resyncs = 0;
  refetches = 0;
  fetchFailures = 0;
  messages = 0;
  private connects = 0;
  private fetching = false;
  private again = false;
  private rr = 0;
  private closed = false;

  constructor(
    readonly name: string,
    readonly sidecar: Proc,
    private readonly world: World,
    private readonly apps: () => Proc[],
    secret: string,
  ) {
    const key = deriveTokenKey(secret);
    // A fresh token on every (re)connection, as the browser fetches one from the app.
    this.socket = connectSocket(sidecar.url, { ...socketOptions, auth: (cb) => cb({ token: mintToken(key, { id: world.staff.id, role: 'staff', sessionId: 'system-test' }).token }) });
    this.socket.on('level', (m) => this.onLevel(m));
    this.socket.on('resync', () => {
      this.resyncs++;
      void this.refetch();
    });
    this.socket.on('connect', () => {
      if (this.connects++ > 0) this.reconnects++;
      void this.join();
    });
  }

  private async join() {
    for (let attempt = 0; this.socket.connected; attempt++) {
      try {
        const res = await this.socket.timeout(5000).emitWithAck('join', { rooms: [`warehouse:${this.world.warehouseId}`] });
        if (res.joined.length === 1) return void (await this.refetch());
      } catch {
        // no ack yet
      }
      await new Promise((r) => setTimeout(r, 200 * Math.min(attempt + 1, 5)));
    }
  }

  private onLevel(m: LevelMessage) {
    if (m.warehouseId !== this.world.warehouseId) return;
    this.messages++;
    if (this.fetching) return void (this.again = true);
    const k = `${m.sku}|${m.locationCode}`;
    const step = versionStep(this.levels.get(k)?.version ?? 0, m.version);
    if (step === 'next') this.levels.set(k, { onHand: m.onHand, reserved: m.reserved, version: m.version });
    else if (step === 'gap') void this.refetch();
  }

  async refetch(): Promise<void> {
    if (this.fetching) return void (this.again = true);
    this.fetching = true;
    try {
      do {
        this.again = false;
        this.refetches++;
        this.levels = await this.fetchLevels();
      } while (this.again && !this.closed);
    } finally {
      this.fetching = false;
    }
  }

  private async fetchLevels(): Promise<Levels> {
    const q = new URLSearchParams([...this.world.skus.map((s) => ['sku', s]), ['warehouse', this.world.warehouse]]);
    for (let attempt = 1; ; attempt++) {
      const apps = this.apps();
      const app = apps[this.rr++ % apps.length];
      try {
        const res = await fetch(`${app.url}/api/v1/stock?${q}`, {
          headers: { authorization: `Bearer ${this.world.apiKey}` },
          signal: AbortSignal.timeout(10_000),
        });
        if (res.ok) {
          const body = (await res.json()) as { items: { sku: string; location: string; onHand: number; reserved: number; version: number }[] };
          return new Map(body.items.map((i) => [`${i.sku}|${i.location}`, { onHand: i.onHand, reserved: i.reserved, version: i.version }]));
        }
        await res.arrayBuffer();
      } catch {
        // that instance did not answer; the next one may
      }
      this.fetchFailures++;
      if (this.closed) return this.levels;
      await new Promise((r) => setTimeout(r, Math.min(100 * attempt, 1000)));
    }
  }

  close() {
    this.closed = true;
    this.socket.close();
  }
}
