// A steady mixed load the way real callers produce it: storefront and ERP calls over the REST API (receipts, cart
// holds and their release, orders, cancellations), spread over every app instance, and a floor worker picking and
// shipping allocated orders through the core (picking has no REST call: scanners use the app's server actions).
// Every request carries an Idempotency-Key; a caller that gets no answer (connection reset, 5xx, timeout) retries
// the same request with the same key on the next instance until it has one, as docs/api.md (Idempotency) tells integrators to.
import { randomBytes } from 'node:crypto';
import type { Connection } from '@/db/client';
import { InventoryError } from '@/server/inventory/kernel/errors';
import { pick } from '@/server/inventory/commands/pick';
import { shipOrder } from '@/server/inventory/commands/ship-order';
import type { Proc } from './cluster';
import type { World } from './world';

export type OpKind = 'receipt' | 'hold' | 'release' | 'order' | 'cancel' | 'pick' | 'ship';

export type Op = {
  key: string;
  kind: OpKind;
  // The HTTP status of the final answer (core commands: 200, or the error type's status).
  status?: number;
  answer?: Record<string, unknown>;
  // Problem type slug of a refusal.
  refusal?: string;
  attempts: number;
  // Attempts that ended without an answer (connection reset or refused, timeout) or with a 5xx.
  noAnswer: number;
  serverErrors: number;
  // The app that gave each attempt's outcome ('core' for the floor worker).
  tried: { via: string; outcome: string; at: number }[];
  startedAt: number;
  answeredAt?: number;
  gaveUp?: string;
};

type Order = { id: string; lines: { sku: string; allocations: { warehouse: string; location: string; qty: number }[] }[] };

export type LoadOptions = {
  world: World;
  conn: Connection;
  apps: () => Proc[];
  workers?: number;
  // Pause between one caller's requests, so the load is steady rather than flat out on a shared machine.
  thinkMs?: number;
  // A request not answered within this is abandoned and retried (with its key).
  requestTimeoutMs?: number;
  // An operation without a definite answer after this long is a failure.
  giveUpMs?: number;
};

const REST_MIX: [OpKind, number][] = [
  ['receipt', 26],
  ['hold', 22],
  ['release', 12],
  ['order', 28],
  ['cancel', 12],
];

export class Load {
  readonly ops: Op[] = [];
  readonly runId = randomBytes(3).toString('hex');
  private seq = 0;
  private holds: string[] = [];
  private orders: Order[] = [];
  private paused = true;
  private stopped = false;
  private resumeWaiters: (() => void)[] = [];
  private busy = 0;
  private idleWaiters: (() => void)[] = [];
  private loops: Promise<void>[] = [];
  private rr = 0;
  // Answers per app process name (and 'core'), for "every instance serves again after a fault".
  readonly answeredBy = new Map<string, number>();
  private readonly o: Required<LoadOptions>;

  constructor(o: LoadOptions) {
    this.o = { workers: 5, thinkMs: 25, requestTimeoutMs: 30_000, giveUpMs: 120_000, ...o };
  }

  start() {
    this.paused = false;
    for (let i = 0; i < this.o.workers; i++) this.loops.push(this.loop(() => this.restOp()));
    this.loops.push(this.loop(() => this.floorOp()));
  }

  // Stops issuing new operations and waits until every one in flight has its definite answer.
  async pause() {
    this.paused = true;
    if (this.busy > 0) await new Promise<void>((r) => this.idleWaiters.push(r));
  }

  resume() {
    this.paused = false;
    this.resumeWaiters.splice(0).forEach((r) => r());
  }

  async stop() {
    await this.pause();
    this.stopped = true;
    this.resume();
    await Promise.all(this.loops);
  }

  answered(name: string) {
    return this.answeredBy.get(name) ?? 0;
  }

  get applied() {
    return this.ops.filter((o) => o.status !== undefined && o.status < 300).length;
  }

  private async loop(step: () => Promise<void>) {
    while (!this.stopped) {
      if (this.paused) {
        await new Promise<void>((r) => this.resumeWaiters.push(r));
        continue;
      }
      this.busy++;
      try {
        await step();
      } finally {
        this.busy--;
        if (this.busy === 0 && this.paused) this.idleWaiters.splice(0).forEach((r) => r());
      }
      await sleep(this.o.thinkMs * (0.5 + Math.random()));
    }
  }

  private newOp(kind: OpKind): Op {
    const op: Op = { key: `sys-${this.runId}-${++this.seq}-${kind}`, kind, attempts: 0, noAnswer: 0, serverErrors: 0, tried: [], startedAt: Date.now() };
    this.ops.push(op);
    return op;
  }

  private async restOp() {
    const w = this.o.world;
    const kind = weighted(REST_MIX);
    const sku = pickOne(w.skus);
    switch (kind) {
      case 'receipt': {
        const op = this.newOp('receipt');
        const location = pickOne(w.stockBins);
        await this.http(op, 'POST', '/api/v1/movements', { kind: 'receipt', sku, warehouse: w.warehouse, location, qty: int(1, 4), reference: op.key });
        return;
      }
      case 'hold': {
        const op = this.newOp('hold');
        await this.http(op, 'POST', '/api/v1/reservations', { sku, qty: int(1, 2), ttlSeconds: 3600, reference: op.key });
        if (op.status === 201) this.holds.push(String(op.answer!.id));
        return;
      }
      case 'release': {
        const id = this.holds.shift();
        if (!id) return;
        const op = this.newOp('release');
        await this.http(op, 'DELETE', `/api/v1/reservations/${id}`);
        return;
      }
      case 'order': {
        const op = this.newOp('order');
        const skus = [...new Set([sku, pickOne(w.skus)])];
        await this.http(op, 'POST', '/api/v1/orders', { reference: op.key, lines: skus.map((s) => ({ sku: s, qty: int(1, 2) })) });
        if (op.status === 201) this.orders.push(op.answer as unknown as Order);
        return;
      }
      case 'cancel': {
        // The newest order: the floor worker takes the oldest, so the two never race for one order.
        const order = this.orders.pop();
        if (!order) return;
        const op = this.newOp('cancel');
        await this.http(op, 'POST', `/api/v1/orders/${order.id}/cancel`);
        return;
      }
    }
  }

  // The floor: pick every allocation of the oldest allocated order, then ship it.
  private async floorOp() {
    const order = this.orders.shift();
    if (!order) return;
    const opts = (op: Op) => ({ actor: this.o.world.staff.actor, idempotencyKey: op.key });
    for (const line of order.lines) {
      for (const a of line.allocations) {
        const op = this.newOp('pick');
        await this.core(op, () => pick(this.o.conn.db, { orderId: order.id, sku: line.sku, warehouse: a.warehouse, location: a.location, qty: a.qty }, opts(op)));
      }
    }
    const op = this.newOp('ship');
    await this.core(op, () => shipOrder(this.o.conn.db, { orderId: order.id }, opts(op)));
  }

  private async core(op: Op, run: () => Promise<unknown>) {
    for (;;) {
      op.attempts++;
      try {
        op.answer = (await run()) as Record<string, unknown>;
        op.status = 200;
      } catch (e) {
        if (e instanceof InventoryError) {
          op.status = 409;
          op.refusal = e.type;
        } else {
          // The database went away under the worker: the same command with the same key, once it is back.
          op.noAnswer++;
          op.tried.push({ via: 'core', outcome: e instanceof Error ? e.message.slice(0, 80) : String(e), at: Date.now() });
          if (Date.now() - op.startedAt > this.o.giveUpMs) return void (op.gaveUp = `no answer: ${String(e)}`);
          await sleep(200);
          continue;
        }
      }
      op.answeredAt = Date.now();
      op.tried.push({ via: 'core', outcome: String(op.status), at: op.answeredAt });
      this.answeredBy.set('core', this.answered('core') + 1);
      return;
    }
  }

  private async http(op: Op, method: string, path: string, body?: unknown) {
    for (;;) {
      const apps = this.o.apps();
      const app = apps[this.rr++ % apps.length];
      op.attempts++;
      let outcome: string;
      try {
        const res = await fetch(`${app.url}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${this.o.world.apiKey}`,
            ...(method === 'POST' ? { 'idempotency-key': op.key } : {}),
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(this.o.requestTimeoutMs),
        });
        const text = await res.text();
        outcome = String(res.status);
        if (res.status < 500 && res.status !== 429 && res.status !== 408) {
          op.status = res.status;
          op.answer = text ? JSON.parse(text) : undefined;
          if (res.status >= 400) op.refusal = String(op.answer?.type ?? '').split('/').pop();
          op.answeredAt = Date.now();
          op.tried.push({ via: app.name, outcome, at: op.answeredAt });
          this.answeredBy.set(app.name, this.answered(app.name) + 1);
          return;
        }
        if (res.status >= 500) op.serverErrors++;
      } catch (e) {
        op.noAnswer++;
        outcome = `no answer (${errorCode(e)})`;
      }
      op.tried.push({ via: app.name, outcome, at: Date.now() });
      if (Date.now() - op.startedAt > this.o.giveUpMs) return void (op.gaveUp = `no answer within ${this.o.giveUpMs / 1000} s: ${outcome}`);
      await sleep(Math.min(100 * op.attempts, 1000) * (0.5 + Math.random()));
    }
  }

  summary() {
    const by = (k: OpKind) => this.ops.filter((o) => o.kind === k);
    const kinds: OpKind[] = ['receipt', 'hold', 'release', 'order', 'cancel', 'pick', 'ship'];
    return {
      operations: this.ops.length,
      applied: this.applied,
      refused: this.ops.filter((o) => (o.status ?? 0) >= 400).length,
      retriedAfterNoAnswer: this.ops.filter((o) => o.noAnswer + o.serverErrors > 0).length,
      attemptsWithoutAnswer: this.ops.reduce((s, o) => s + o.noAnswer + o.serverErrors, 0),
      perKind: Object.fromEntries(kinds.map((k) => [k, { applied: by(k).filter((o) => (o.status ?? 500) < 300).length, refused: by(k).filter((o) => (o.status ?? 0) >= 400).length }])),
    };
  }
}

function errorCode(e: unknown): string {
  for (let cur = e as { code?: unknown; name?: unknown; cause?: unknown } | undefined, i = 0; cur && i < 4; cur = cur.cause as typeof cur, i++) {
    if (typeof cur.code === 'string') return cur.code;
    if (cur.name === 'TimeoutError') return 'timeout';
  }
  return e instanceof Error ? e.message : String(e);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const int = (lo: number, hi: number) => lo + Math.floor(Math.random() * (hi - lo + 1));
const pickOne = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)];

function weighted<T>(mix: [T, number][]): T {
  let r = Math.random() * mix.reduce((s, [, w]) => s + w, 0);
  for (const [v, w] of mix) if ((r -= w) < 0) return v;
  return mix[mix.length - 1][0];
}
