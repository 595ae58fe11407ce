// Clients that live at the sidecar's caps and keep coming and going, for the soak: memory must stay flat while
// sockets open, are refused, subscribe and close all run long.
//  - a storefront churner, from an address of its own (a loopback address no other client uses, so the caps count it
//    alone): opens sockets up to the per-address cap and one more, which must be refused; subscribes SKUs across
//    them up to the per-address SKU cap and one more, which must be refused; drops and reconnects a few; closes all.
//  - a staff churner: opens a socket with a fresh token, tries a second with the same token (refused: tokens are
//    single-use), joins and leaves its warehouse room up to the join rate and once more (refused), and closes.
// Each cycle starts again after a short pause. What the caps did not do as promised is an anomaly, reported.
import { io as connectSocket, type Socket } from 'socket.io-client';
import {
  MAX_SKUS_PER_SUBSCRIBE,
  STOREFRONT_NAMESPACE,
  type StaffClientEvents,
  type StaffServerEvents,
  type StorefrontClientEvents,
  type StorefrontServerEvents,
} from '@/lib/contracts/realtime';
import { deriveTokenKey, mintToken } from '@/server/auth/socket-token';
import { JOINS_PER_WINDOW } from '@/server/realtime/staff-namespace';
import type { Proc } from './cluster';
import type { World } from './world';

export type ChurnCounts = {
  cycles: number;
  opened: number;
  // Refused at a cap as promised: sockets over the per-address cap, SKUs over the SKU cap, a reused staff token,
  // a join over the rate.
  refusedAtCap: number;
  closed: number;
  reconnected: number;
  subscribedSkus: number;
  anomalies: string[];
};

const newCounts = (): ChurnCounts => ({ cycles: 0, opened: 0, refusedAtCap: 0, closed: 0, reconnected: 0, subscribedSkus: 0, anomalies: [] });
const MAX_ANOMALIES = 50;
// After closing its sockets a churner waits this long, so the sidecar has seen them go before it opens again.
const PAUSE_MS = 1000;
// Sockets dropped and reconnected in each storefront cycle.
const RECONNECTS = 5;
const options = { transports: ['websocket'], forceNew: true, reconnection: false, timeout: 10_000 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Outcome = 'connected' | string;

// Resolves with 'connected' or the handshake's refusal code (or the transport's error); 'no answer' if neither came,
// so a cycle always ends. Call it before the socket can have answered (in the same tick as creating or connecting it).
function opened(socket: Socket): Promise<Outcome> {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve('no answer'), 20_000);
    socket.once('connect', () => {
      clearTimeout(t);
      resolve('connected');
    });
    socket.once('connect_error', (e: Error & { data?: { code?: string } }) => {
      clearTimeout(t);
      resolve(e.data?.code ?? e.message);
    });
  });
}

abstract class Churner {
  readonly counts = newCounts();
  private running = false;
  private loop: Promise<void> | null = null;

  constructor(readonly name: string) {}

  protected anomaly(what: string) {
    if (this.counts.anomalies.length < MAX_ANOMALIES) this.counts.anomalies.push(`${this.name}: ${what}`);
  }

  protected abstract cycle(): Promise<void>;

  start() {
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        try {
          await this.cycle();
          this.counts.cycles++;
        } catch (e) {
          this.anomaly(`cycle failed: ${e instanceof Error ? e.message : e}`);
        }
        await sleep(PAUSE_MS);
      }
    })();
  }

  async stop() {
    this.running = false;
    await this.loop;
  }
}

export class StorefrontChurner extends Churner {
  constructor(
    name: string,
    private readonly sidecar: Proc,
    // The loopback address its sockets come from (127.0.0.0/8 all reach the sidecar on Linux).
    private readonly address: string,
    private readonly caps: { socketsPerAddress: number; skusPerAddress: number },
    // At least skusPerAddress + 1 SKUs that exist, so the SKU cap is reached with real rooms.
    private readonly skus: string[],
  ) {
    super(name);
    if (skus.length <= caps.skusPerAddress) throw new Error(`${name} needs more than ${caps.skusPerAddress} SKUs`);
  }

  private socket(): Socket<StorefrontServerEvents, StorefrontClientEvents> {
    return connectSocket(`${this.sidecar.url}${STOREFRONT_NAMESPACE}`, { ...options, localAddress: this.address } as Parameters<typeof connectSocket>[1]);
  }

  private async open(): Promise<{ socket: Socket<StorefrontServerEvents, StorefrontClientEvents>; outcome: Outcome }> {
    const socket = this.socket();
    const outcome = await opened(socket);
    if (outcome !== 'connected') socket.close();
    return { socket, outcome };
  }

  protected async cycle() {
    const sockets: Socket<StorefrontServerEvents, StorefrontClientEvents>[] = [];
    try {
      // Up to the cap, a few at a time as pages open: every one must be let in.
      for (let i = 0; i < this.caps.socketsPerAddress; i += 10) {
        const batch = await Promise.all(Array.from({ length: Math.min(10, this.caps.socketsPerAddress - i) }, () => this.open()));
        for (const b of batch) {
          if (b.outcome === 'connected') {
            this.counts.opened++;
            sockets.push(b.socket);
          } else this.anomaly(`socket ${sockets.length + 1} of ${this.caps.socketsPerAddress} refused (${b.outcome})`);
        }
      }
      // One over: refused at the handshake.
      const over = await this.open();
      if (over.outcome === 'too_many_connections') this.counts.refusedAtCap++;
      else {
        this.anomaly(`socket over the cap: ${over.outcome}`);
        if (over.outcome === 'connected') sockets.push(over.socket);
      }

      // SKUs up to the per-address cap, spread over the sockets a subscribe's worth at a time.
      const wanted = this.skus.slice(0, this.caps.skusPerAddress);
      for (let i = 0, s = 0; i < wanted.length; i += MAX_SKUS_PER_SUBSCRIBE, s++) {
        const chunk = wanted.slice(i, i + MAX_SKUS_PER_SUBSCRIBE);
        const ack = await sockets[s % sockets.length].timeout(10_000).emitWithAck('subscribe', { skus: chunk });
        if (ack.ok && ack.unknown.length === 0) this.counts.subscribedSkus += chunk.length;
        else this.anomaly(`subscribe under the SKU cap: ${ack.ok ? `${ack.unknown.length} unknown` : ack.error}`);
      }
      // One more SKU, on any socket: refused.
      const extra = await sockets[0].timeout(10_000).emitWithAck('subscribe', { skus: [this.skus[this.caps.skusPerAddress]] });
      if (!extra.ok && extra.error === 'too_many_skus') this.counts.refusedAtCap++;
      else this.anomaly(`SKU over the cap: ${extra.ok ? 'accepted' : extra.error}`);

      // A few pages drop and come back (their rooms went with them; the sidecar must let them in again).
      const dropped = sockets.slice(0, RECONNECTS);
      for (const s of dropped) s.disconnect();
      this.counts.closed += dropped.length;
      await sleep(200);
      for (const s of dropped) {
        const answer = opened(s);
        s.connect();
        const outcome = await answer;
        if (outcome === 'connected') this.counts.reconnected++;
        else this.anomaly(`reconnect under the cap refused (${outcome})`);
      }
    } finally {
      for (const s of sockets) {
        if (s.connected) this.counts.closed++;
        s.close();
      }
    }
  }
}

export class StaffChurner extends Churner {
  private readonly key: Buffer;
  private serial = 0;

  constructor(
    name: string,
    private readonly sidecar: Proc,
    private readonly world: World,
    secret: string,
  ) {
    super(name);
    this.key = deriveTokenKey(secret);
  }

  private socket(token: string): Socket<StaffServerEvents, StaffClientEvents> {
    return connectSocket(this.sidecar.url, { ...options, auth: { token } });
  }

  protected async cycle() {
    const token = mintToken(this.key, { id: this.world.staff.id, role: 'staff', sessionId: `soak-churn-${this.name}-${this.serial++}` }).token;
    const socket = this.socket(token);
    let copy: Socket | null = null;
    try {
      const outcome = await opened(socket);
      if (outcome !== 'connected') return this.anomaly(`staff socket refused (${outcome})`);
      this.counts.opened++;
      // The same token again, once the first socket has used it: single-use, refused.
      copy = this.socket(token);
      const again = await opened(copy);
      if (again === 'unauthorized') this.counts.refusedAtCap++;
      else {
        this.anomaly(`a reused token: ${again}`);
        if (again === 'connected') this.counts.opened++;
      }
      // Joins and leaves up to the rate, then one more: refused, the socket kept.
      const room = `warehouse:${this.world.warehouseId}`;
      for (let i = 0; i < JOINS_PER_WINDOW; i++) {
        if (i % 2 === 0) {
          const r = await socket.timeout(10_000).emitWithAck('join', { rooms: [room] });
          if (!r.joined.includes(room)) this.anomaly(`join ${i + 1} of ${JOINS_PER_WINDOW} refused (${r.refused[0]?.reason})`);
        } else await socket.timeout(10_000).emitWithAck('leave', { rooms: [room] });
      }
      const over = await socket.timeout(10_000).emitWithAck('join', { rooms: [room] });
      if (over.refused[0]?.reason === 'rate_limited') this.counts.refusedAtCap++;
      else this.anomaly(`a join over the rate: ${over.joined.length ? 'joined' : over.refused[0]?.reason}`);
      if (!socket.connected) this.anomaly('the socket was dropped at one join over the rate');
    } finally {
      if (socket.connected) this.counts.closed++;
      socket.close();
      copy?.close();
    }
  }
}

export function totalChurn(churners: { counts: ChurnCounts }[]): ChurnCounts {
  const t = newCounts();
  for (const { counts: c } of churners) {
    t.cycles += c.cycles;
    t.opened += c.opened;
    t.refusedAtCap += c.refusedAtCap;
    t.closed += c.closed;
    t.reconnected += c.reconnected;
    t.subscribedSkus += c.subscribedSkus;
    t.anomalies.push(...c.anomalies);
  }
  return t;
}
