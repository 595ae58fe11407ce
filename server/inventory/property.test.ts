// Model-based test: random command sequences against one warehouse, checked step by step against a plain
// in-memory model of levels, holds and orders (outcome, key figures), and at the end level by level.
import { eq, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { orders } from '@/db/schema';
import { ledgerMismatches, makeWorld, testConnection, uid, type World } from '@/server/testing/fixtures';
import { adjust } from './commands/adjust';
import { allocateOrder } from './commands/allocate-order';
import { cancelOrder } from './commands/cancel-order';
import { count } from './commands/count';
import { InventoryError } from './kernel/errors';
import { pick } from './commands/pick';
import { receive } from './commands/receive';
import { release } from './commands/release';
import { reserve } from './commands/reserve';
import { shipOrder } from './commands/ship-order';
import { shortPick } from './commands/short-pick';
import { levelsOf, opts } from './test-support';
import { transfer } from './commands/transfer';
import { verifyInventory } from './read/verify';

const conn = testConnection();
afterAll(() => conn.close());

const ALL_BINS = ['RECV', 'A-01', 'A-02', 'PICK-01'];
const SELLABLE = ['A-01', 'A-02', 'PICK-01'];
type Bin = string;
type Level = { onHand: number; reserved: number };
type Alloc = { location: Bin; qty: number };
type Line = { s: number; qty: number; picked: number; short: number; holds: Map<Bin, number>; staged: number };
type ModelOrder = { id: string; status: string; lines: Line[] };
type Model = { levels: Map<string, Level>; holds: { id: string; s: number; status: 'active' | 'released'; rows: Alloc[] }[]; orders: ModelOrder[] };

const cmd = fc.oneof(
  { weight: 2, arbitrary: fc.record({ t: fc.constant('receive' as const), s: fc.nat(1), bin: fc.constantFrom(...ALL_BINS), qty: fc.integer({ min: 1, max: 6 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('adjust' as const), s: fc.nat(1), bin: fc.constantFrom(...ALL_BINS), delta: fc.integer({ min: -4, max: 4 }).filter((d) => d !== 0) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('transfer' as const), s: fc.nat(1), from: fc.constantFrom(...ALL_BINS), to: fc.constantFrom(...ALL_BINS), qty: fc.integer({ min: 1, max: 4 }) }).filter((c) => c.from !== c.to) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('count' as const), s: fc.nat(1), bin: fc.constantFrom(...ALL_BINS), counted: fc.nat(8), stale: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('reserve' as const), s: fc.nat(1), qty: fc.integer({ min: 1, max: 6 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('release' as const), i: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('allocate' as const), lines: fc.array(fc.record({ s: fc.nat(1), qty: fc.integer({ min: 1, max: 4 }) }), { minLength: 1, maxLength: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('cancel' as const), i: fc.nat() }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('pick' as const), i: fc.nat(), l: fc.nat(), bin: fc.constantFrom(...SELLABLE), qty: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('shortPick' as const), i: fc.nat(), l: fc.nat(), bin: fc.constantFrom(...SELLABLE), qty: fc.integer({ min: 1, max: 2 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('ship' as const), i: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('pickAll' as const), i: fc.nat() }) },
);
type Cmd = typeof cmd extends fc.Arbitrary<infer C> ? C : never;

// The model's side: what should happen, as { type, ...figures }, applying it to the model when it succeeds.
function expected(m: Model, w: World, c: Cmd): Record<string, unknown> {
  const lv = (s: number, bin: Bin) => {
    const k = `${s}|${bin}`;
    if (!m.levels.has(k)) m.levels.set(k, { onHand: 0, reserved: 0 });
    return m.levels.get(k)!;
  };
  const avail = (s: number, bin: Bin) => lv(s, bin).onHand - lv(s, bin).reserved;
  // The allocation rule, written out independently of allocation.ts.
  const plan = (s: number, qty: number, exclude?: Bin) => {
    const bins = SELLABLE.filter((b) => b !== exclude && avail(s, b) > 0).sort(
      (a, b) => Number(a !== 'PICK-01') - Number(b !== 'PICK-01') || avail(s, b) - avail(s, a) || w.bins[a].id - w.bins[b].id,
    );
    const out: Alloc[] = [];
    let left = qty;
    for (const b of bins) if (left > 0) out.push({ location: b, qty: Math.min(left, avail(s, b)) }), (left -= Math.min(left, avail(s, b)));
    return { out, filled: qty - left, available: bins.reduce((n, b) => n + avail(s, b), 0) };
  };
  const hold = (s: number, allocs: Alloc[]) => allocs.forEach((a) => (lv(s, a.location).reserved += a.qty));
  const order = 'i' in c ? m.orders[c.i % Math.max(m.orders.length, 1)] : undefined;
  const settle = (o: ModelOrder) => (o.status = o.lines.every((l) => l.picked + l.short === l.qty) ? 'picked' : 'picking');
  switch (c.t) {
    case 'receive':
      return { type: 'ok', onHand: (lv(c.s, c.bin).onHand += c.qty) };
    case 'adjust':
      if (avail(c.s, c.bin) + c.delta < 0) return { type: 'insufficient_stock', available: avail(c.s, c.bin) };
      return { type: 'ok', onHand: (lv(c.s, c.bin).onHand += c.delta) };
    case 'transfer':
      if (avail(c.s, c.from) < c.qty) return { type: 'insufficient_stock', available: avail(c.s, c.from) };
      lv(c.s, c.from).onHand -= c.qty;
      return { type: 'ok', to: (lv(c.s, c.to).onHand += c.qty) };
    case 'count':
      if (c.stale) return { type: 'conflict', current: lv(c.s, c.bin).onHand };
      if (c.counted < lv(c.s, c.bin).reserved) return { type: 'invalid_state', reserved: lv(c.s, c.bin).reserved };
      return { type: 'ok', onHand: (lv(c.s, c.bin).onHand = c.counted) };
    case 'reserve': {
      const p = plan(c.s, c.qty);
      if (p.filled < c.qty) return { type: 'insufficient_stock', available: p.available };
      hold(c.s, p.out);
      m.holds.push({ id: '', s: c.s, status: 'active', rows: p.out });
      return { type: 'ok', allocations: p.out };
    }
    case 'release': {
      const h = m.holds[c.i % m.holds.length];
      if (h.status === 'active') h.rows.forEach((r) => (lv(h.s, r.location).reserved -= r.qty));
      h.status = 'released';
      return { type: 'ok', status: 'released' };
    }
    case 'allocate': {
      const merged = new Map<number, number>();
      c.lines.forEach((l) => merged.set(l.s, (merged.get(l.s) ?? 0) + l.qty));
      const plans = [...merged].map(([s, qty]) => ({ s, qty, p: plan(s, qty) }));
      const short = plans.filter((x) => x.p.filled < x.qty);
      if (short.length) return { type: 'insufficient_stock', lines: short.map((x) => ({ s: x.s, requested: x.qty, available: x.p.available })) };
      plans.forEach((x) => hold(x.s, x.p.out));
      const lines = plans.map((x) => ({ s: x.s, qty: x.qty, picked: 0, short: 0, staged: 0, holds: new Map(x.p.out.map((a) => [a.location, a.qty])) }));
      m.orders.push({ id: '', status: 'allocated', lines });
      return { type: 'ok', lines: plans.map((x) => x.p.out) };
    }
    case 'cancel':
      if (order!.status === 'shipped') return { type: 'invalid_state' };
      if (order!.status !== 'cancelled') {
        for (const l of order!.lines) {
          l.holds.forEach((q, b) => (lv(l.s, b).reserved -= q));
          lv(l.s, 'SHIP').reserved -= l.staged;
          l.holds.clear();
          l.staged = 0;
        }
        order!.status = 'cancelled';
      }
      return { type: 'ok' };
    case 'pick':
    case 'shortPick': {
      const o = order!;
      if (o.status !== 'allocated' && o.status !== 'picking') return { type: 'invalid_state' };
      const l = o.lines[c.l % o.lines.length];
      const held = l.holds.get(c.bin) ?? 0;
      if (c.qty > held) return { type: 'insufficient_stock', available: held };
      lv(l.s, c.bin).onHand -= c.qty;
      lv(l.s, c.bin).reserved -= c.qty;
      l.holds.set(c.bin, held - c.qty);
      if (c.t === 'pick') {
        lv(l.s, 'SHIP').onHand += c.qty;
        lv(l.s, 'SHIP').reserved += c.qty;
        l.picked += c.qty;
        l.staged += c.qty;
        settle(o);
        return { type: 'ok', status: o.status };
      }
      const p = plan(l.s, c.qty, c.bin);
      hold(l.s, p.out);
      p.out.forEach((a) => l.holds.set(a.location, (l.holds.get(a.location) ?? 0) + a.qty));
      l.short += c.qty - p.filled;
      settle(o);
      return { type: 'ok', status: o.status, reallocated: p.out, shortQty: c.qty - p.filled };
    }
    case 'pickAll': {
      // Picks everything the order holds, bin by bin (what a picker with the pick list does).
      const o = order!;
      for (const l of o.lines) {
        l.holds.forEach((q, b) => {
          if (!q) return;
          lv(l.s, b).onHand -= q;
          lv(l.s, b).reserved -= q;
          lv(l.s, 'SHIP').onHand += q;
          lv(l.s, 'SHIP').reserved += q;
          l.picked += q;
          l.staged += q;
          settle(o);
        });
        l.holds.clear();
      }
      return { type: 'ok', status: o.status };
    }
    case 'ship': {
      const o = order!;
      if (o.status !== 'picked' || o.lines.every((l) => l.staged === 0)) return { type: 'invalid_state' };
      for (const l of o.lines) (lv(l.s, 'SHIP').onHand -= l.staged), (lv(l.s, 'SHIP').reserved -= l.staged), (l.staged = 0);
      o.status = 'shipped';
      return { type: 'ok' };
    }
  }
}

// The system's side, reduced to the same shape.
async function actual(m: Model, w: World, c: Cmd): Promise<Record<string, unknown>> {
  const sku = (n: number) => w.skus[n];
  const at = (bin: Bin) => ({ warehouse: w.warehouse, location: bin });
  const allocs = (xs: { location: string; qty: number }[]) => xs.map((a) => ({ location: a.location, qty: a.qty }));
  const orderId = 'i' in c && m.orders.length ? m.orders[c.i % m.orders.length].id : '';
  try {
    switch (c.t) {
      case 'receive':
        return { type: 'ok', onHand: (await receive(conn.db, { sku: sku(c.s), ...at(c.bin), qty: c.qty }, opts)).onHand };
      case 'adjust':
        return { type: 'ok', onHand: (await adjust(conn.db, { sku: sku(c.s), ...at(c.bin), delta: c.delta, reason: 'correction' }, opts)).onHand };
      case 'transfer':
        return { type: 'ok', to: (await transfer(conn.db, { sku: sku(c.s), from: at(c.from), to: at(c.to), qty: c.qty }, opts)).to.onHand };
      case 'count': {
        const seen = (await levelsOf(conn, w, sku(c.s)))[c.bin]?.onHand ?? 0;
        const r = await count(conn.db, { sku: sku(c.s), ...at(c.bin), counted: c.counted, expected: c.stale ? seen + 1 : seen }, opts);
        return { type: 'ok', onHand: r.onHand };
      }
      case 'reserve': {
        const r = await reserve(conn.db, { sku: sku(c.s), qty: c.qty }, opts);
        m.holds[m.holds.length - 1].id = r.id;
        return { type: 'ok', allocations: allocs(r.allocations) };
      }
      case 'release':
        return { type: 'ok', status: (await release(conn.db, { id: m.holds[c.i % m.holds.length].id }, opts)).status };
      case 'allocate': {
        const r = await allocateOrder(conn.db, { reference: `P-${uid()}`, lines: c.lines.map((l) => ({ sku: sku(l.s), qty: l.qty })) }, opts);
        m.orders[m.orders.length - 1].id = r.id;
        return { type: 'ok', lines: r.lines.map((l) => allocs(l.allocations)) };
      }
      case 'cancel':
        await cancelOrder(conn.db, { id: orderId }, opts);
        return { type: 'ok' };
      case 'pick': {
        const o = m.orders[c.i % m.orders.length];
        const r = await pick(conn.db, { orderId, sku: sku(o.lines[c.l % o.lines.length].s), ...at(c.bin), qty: c.qty }, opts);
        return { type: 'ok', status: r.status };
      }
      case 'shortPick': {
        const o = m.orders[c.i % m.orders.length];
        const input = { orderId, sku: sku(o.lines[c.l % o.lines.length].s), ...at(c.bin), qty: c.qty, reason: 'not_found' as const };
        const r = await shortPick(conn.db, input, opts);
        return { type: 'ok', status: r.status, reallocated: allocs(r.reallocated), shortQty: r.shortQty };
      }
      case 'ship':
        await shipOrder(conn.db, { orderId }, opts);
        return { type: 'ok' };
      case 'pickAll': {
        const list = (await conn.db.execute(sql`
          SELECT p.sku, l.code AS location, r.qty FROM reservations r JOIN locations l ON l.id = r.location_id JOIN products p ON p.id = r.product_id
          WHERE r.hold_id = ${orderId} AND r.status = 'active' AND l.kind <> 'shipping'`)) as unknown as { sku: string; location: string; qty: number }[];
        let status = (await conn.db.select({ status: orders.status }).from(orders).where(eq(orders.id, orderId)))[0].status as string;
        for (const x of list) status = (await pick(conn.db, { orderId, sku: x.sku, ...at(x.location), qty: x.qty }, opts)).status;
        return { type: 'ok', status };
      }
    }
  } catch (e) {
    if (!(e instanceof InventoryError)) throw e;
    const d = e.details as Record<string, unknown>;
    if (e.type === 'insufficient_stock' && c.t === 'allocate') {
      const lines = d.lines as { sku: string; requested: number; available: number }[];
      return { type: e.type, lines: lines.map((l) => ({ s: w.skus.indexOf(l.sku), requested: l.requested, available: l.available })) };
    }
    if (e.type === 'insufficient_stock') return { type: e.type, available: d.available };
    if (e.type === 'conflict') return { type: e.type, current: d.current };
    if (e.type === 'invalid_state' && c.t === 'count') return { type: e.type, reserved: d.reserved };
    return { type: e.type };
  }
}

// Some stock in every bin to start with, so holds and orders mostly succeed and the interesting paths run.
const initialStock = fc.array(fc.nat(8), { minLength: ALL_BINS.length * 2, maxLength: ALL_BINS.length * 2 });

describe('model-based', () => {
  it('agrees with a plain model on every outcome and every final level', async () => {
    await fc.assert(
      fc.asyncProperty(initialStock, fc.array(cmd, { minLength: 5, maxLength: 30, size: 'max' }), async (start, cmds) => {
        const w = await makeWorld(conn, { products: 2 });
        const m: Model = { levels: new Map(), holds: [], orders: [] };
        for (const [n, qty] of start.entries()) {
          const c = { t: 'receive' as const, s: n % 2, bin: ALL_BINS[Math.floor(n / 2)], qty };
          if (qty) expect(await actual(m, w, c)).toEqual(expected(m, w, c));
        }
        for (const [n, c] of cmds.entries()) {
          if ((c.t === 'release' && !m.holds.length) || (['cancel', 'pick', 'shortPick', 'ship', 'pickAll'].includes(c.t) && !m.orders.length)) continue;
          const want = expected(m, w, c);
          const got = await actual(m, w, c);
          expect(got, `step ${n}: ${JSON.stringify(c)}`).toEqual(want);
        }
        for (const [s, code] of w.skus.entries()) {
          const real = await levelsOf(conn, w, code);
          const model = Object.fromEntries(
            [...m.levels].filter(([k, l]) => k.startsWith(`${s}|`) && (l.onHand || l.reserved)).map(([k, l]) => [k.split('|')[1], l]),
          );
          expect(real).toEqual(model);
        }
        const ids = Object.values(w.productIds);
        expect(await ledgerMismatches(conn, ids)).toEqual([]);
        expect((await verifyInventory(conn.db, { productIds: ids })).checks.filter((c) => c.issues.length)).toEqual([]);
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});
