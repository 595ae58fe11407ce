// Many workers, few rows: thousands of random commands over 3 hot SKUs in 3 bins, with retried and concurrently
// repeated idempotency keys and a sweeper expiring short holds. Afterwards every invariant must hold.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { sweepExpiredHolds } from './commands/sweep';
import { opts, stock } from './test-support';
import { transfer } from './commands/transfer';
import { verifyInventory } from './read/verify';

const WORKERS = 40;
const OPS_PER_WORKER = 75;
const BINS = ['A-01', 'A-02', 'PICK-01'];
const EXPECTED = new Set(['insufficient_stock', 'invalid_state', 'conflict']);

const conn = testConnection(25);
let w: World;
beforeAll(async () => {
  w = await makeWorld(conn, { products: 3 });
  for (const sku of w.skus) await stock(conn, w, sku, { 'A-01': 15, 'A-02': 15, 'PICK-01': 10, RECV: 20 });
});
afterAll(() => conn.close());

// Small seeded PRNG so a failing run can be replayed with the seed it prints.
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Keyed = { key: string; kind: 'receive' | 'adjust' | 'transfer' | 'reserve'; outcomes: string[] };
type KnownOrder = { id: string; lines: { sku: string; at: string[] }[] };

describe('under concurrency', () => {
  it('keeps every invariant through thousands of racing commands', async () => {
    const seed = Number(process.env.CONCURRENCY_SEED ?? Date.now() % 1e9);
    console.log(`concurrency seed ${seed}`);
    const tally = new Map<string, number>();
    const unexpected: unknown[] = [];
    const keyed: Keyed[] = [];
    const holds: string[] = [];
    const orders: KnownOrder[] = [];
    const [{ deadlocks: deadlocksBefore }] = await deadlockCount();

    const outcome = async (name: string, run: () => Promise<unknown>): Promise<string> => {
      try {
        const value = await run();
        tally.set(`${name}:ok`, (tally.get(`${name}:ok`) ?? 0) + 1);
        return JSON.stringify({ ok: value });
      } catch (e) {
        if (e instanceof InventoryError && EXPECTED.has(e.type)) {
          tally.set(`${name}:${e.type}`, (tally.get(`${name}:${e.type}`) ?? 0) + 1);
          return JSON.stringify({ error: e.toJSON() });
        }
        unexpected.push({ name, error: e instanceof Error ? `${e.message} ${String((e as { cause?: unknown }).cause ?? '')}` : e });
        return 'unexpected';
      }
    };

    // With a key: sometimes sent twice at once, sometimes retried after the first answer. Every answer is kept.
    const withKey = async (kind: Keyed['kind'], r: () => number, run: (key: string) => Promise<unknown>) => {
      const k: Keyed = { key: `${kind}-${uid()}${uid()}`, kind, outcomes: [] };
      keyed.push(k);
      const once = () => outcome(kind, () => run(k.key));
      if (r() < 0.5) k.outcomes.push(...(await Promise.all([once(), once()])));
      else k.outcomes.push(await once(), await once());
    };

    const worker = async (n: number) => {
      const r = rng(seed + n);
      const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
      const any = <T,>(xs: T[]) => xs[Math.floor(r() * xs.length)];
      const sku = () => any(w.skus);
      const bin = () => ({ warehouse: w.warehouse, location: any(BINS) });
      for (let i = 0; i < OPS_PER_WORKER; i++) {
        const op = r();
        const useKey = r() < 0.25;
        if (op < 0.1) {
          const input = { sku: sku(), ...bin(), qty: int(1, 4) };
          if (useKey) await withKey('receive', r, (key) => receive(conn.db, { ...input, reference: key }, { ...opts, idempotencyKey: key }));
          else await outcome('receive', () => receive(conn.db, input, opts));
        } else if (op < 0.3) {
          const input = { sku: sku(), qty: int(1, 4), ttlSeconds: r() < 0.4 ? 1 : 900 };
          const hold = (o: typeof opts & { idempotencyKey?: string }, reference?: string) =>
            reserve(conn.db, { ...input, reference }, o).then((h) => (holds.push(h.id), h));
          if (useKey) await withKey('reserve', r, (key) => hold({ ...opts, idempotencyKey: key }, key));
          else await outcome('reserve', () => hold(opts));
        } else if (op < 0.38) {
          if (holds.length) await outcome('release', () => release(conn.db, { id: any(holds) }, opts));
        } else if (op < 0.5) {
          const lines = Array.from({ length: int(1, 3) }, () => ({ sku: sku(), qty: int(1, 3) }));
          await outcome('allocateOrder', async () => {
            const o = await allocateOrder(conn.db, { reference: `C-${uid()}${uid()}`, lines }, opts);
            orders.push({ id: o.id, lines: o.lines.map((l) => ({ sku: l.sku, at: l.allocations.map((a) => a.location) })) });
            return o;
          });
        } else if (op < 0.55) {
          if (orders.length) await outcome('cancelOrder', () => cancelOrder(conn.db, { id: any(orders).id }, opts));
        } else if (op < 0.67) {
          if (!orders.length) continue;
          const o = any(orders);
          const line = any(o.lines);
          const place = { warehouse: w.warehouse, location: any(line.at) };
          if (r() < 0.75)
            await outcome('pick', async () => {
              const p = await pick(conn.db, { orderId: o.id, sku: line.sku, ...place, qty: int(1, 2) }, opts);
              // A completed order usually ships at once, racing whatever else touches it.
              if (p.status === 'picked' && r() < 0.7) await outcome('shipOrder', () => shipOrder(conn.db, { orderId: o.id }, opts));
              return p;
            });
          else
            await outcome('shortPick', async () => {
              const s = await shortPick(conn.db, { orderId: o.id, sku: line.sku, ...place, qty: 1, reason: 'not_found' }, opts);
              line.at.push(...s.reallocated.map((a) => a.location));
              return s;
            });
        } else if (op < 0.72) {
          if (orders.length) await outcome('shipOrder', () => shipOrder(conn.db, { orderId: any(orders).id }, opts));
        } else if (op < 0.8) {
          const delta = any([-3, -2, -1, 1, 2, 3]);
          const input = { sku: sku(), ...bin(), delta, reason: delta > 0 ? ('found' as const) : ('damaged' as const) };
          if (useKey) await withKey('adjust', r, (key) => adjust(conn.db, { ...input, reference: key }, { ...opts, idempotencyKey: key }));
          else await outcome('adjust', () => adjust(conn.db, input, opts));
        } else if (op < 0.9) {
          const from = r() < 0.3 ? { warehouse: w.warehouse, location: 'RECV' } : bin();
          const to = bin();
          if (from.location === to.location) continue;
          const input = { sku: sku(), from, to, qty: int(1, 3) };
          if (useKey) await withKey('transfer', r, (key) => transfer(conn.db, { ...input, reference: key }, { ...opts, idempotencyKey: key }));
          else await outcome('transfer', () => transfer(conn.db, input, opts));
        } else if (op < 0.96) {
          const s = sku();
          const place = bin();
          const seen = await onHandOf(s, place.location);
          await outcome('count', () => count(conn.db, { sku: s, ...place, expected: seen, counted: Math.max(0, seen + int(-2, 2)) }, opts));
        } else {
          await outcome('sweep', () => sweepExpiredHolds(conn.db, { now: new Date(Date.now() + 2000) }));
        }
      }
    };

    const started = Date.now();
    await Promise.all(Array.from({ length: WORKERS }, (_, n) => worker(n)));
    const commands = [...tally.values()].reduce((a, b) => a + b, 0);
    console.log(`${commands} commands in ${Date.now() - started} ms`, Object.fromEntries([...tally].sort()));

    expect(unexpected).toEqual([]);
    // The run exercised what it claims to: every command succeeded sometimes, and stock really ran out.
    for (const name of ['receive', 'reserve', 'release', 'allocateOrder', 'cancelOrder', 'pick', 'shortPick', 'shipOrder', 'adjust', 'transfer', 'count', 'sweep']) {
      expect(tally.get(`${name}:ok`), name).toBeGreaterThan(0);
    }
    expect(tally.get('reserve:insufficient_stock') ?? 0).toBeGreaterThan(0);

    const ids = Object.values(w.productIds);
    expect(await ledgerMismatches(conn, ids)).toEqual([]);
    const report = await verifyInventory(conn.db, { productIds: ids });
    expect(report.checks.filter((c) => c.issues.length)).toEqual([]);

    // No oversell: units held for carts and orders plus units ever picked never exceed the stock that came in.
    const supply = (await conn.db.execute(sql`
      SELECT p.sku,
        (SELECT coalesce(sum(on_hand_delta), 0) FROM stock_movements m WHERE m.product_id = p.id AND m.kind IN ('receipt', 'adjustment', 'count'))::int AS came_in,
        (SELECT coalesce(sum(r.qty), 0) FROM reservations r JOIN locations l ON l.id = r.location_id
          WHERE r.product_id = p.id AND r.status = 'active' AND l.kind <> 'shipping')::int AS held,
        (SELECT coalesce(sum(picked_qty), 0) FROM order_lines ol WHERE ol.product_id = p.id)::int AS picked,
        (SELECT count(*) FROM stock_levels s WHERE s.product_id = p.id AND (s.on_hand < 0 OR s.reserved < 0 OR s.reserved > s.on_hand))::int AS bad_levels
      FROM products p WHERE p.id IN ${ids}`)) as unknown as { sku: string; came_in: number; held: number; picked: number; bad_levels: number }[];
    for (const s of supply) {
      expect(s.bad_levels, s.sku).toBe(0);
      expect(s.held + s.picked, s.sku).toBeLessThanOrEqual(s.came_in);
    }

    // Each key took effect once: every answer under it is the same, and the ledger holds one command's rows.
    const effects = (await conn.db.execute(sql`
      SELECT reference_id AS key, count(*)::int AS movements, count(DISTINCT command_id)::int AS commands
      FROM stock_movements WHERE product_id IN ${ids} AND reference_id IS NOT NULL GROUP BY reference_id`)) as unknown as {
      key: string;
      movements: number;
      commands: number;
    }[];
    const byKey = new Map(effects.map((e) => [e.key, e]));
    const holdRows = (await conn.db.execute(sql`
      SELECT reference AS key, count(DISTINCT hold_id)::int AS holds FROM reservations
      WHERE product_id IN ${ids} AND reference IS NOT NULL GROUP BY reference`)) as unknown as { key: string; holds: number }[];
    const holdsByKey = new Map(holdRows.map((h) => [h.key, h.holds]));
    let replayed = 0;
    for (const k of keyed) {
      // Equal values (a replay comes back from jsonb, which orders object keys its own way).
      expect(JSON.parse(k.outcomes[1]), k.key).toEqual(JSON.parse(k.outcomes[0]));
      replayed++;
      const ok = k.outcomes[0].startsWith('{"ok"');
      if (k.kind === 'reserve') {
        expect(holdsByKey.get(k.key) ?? 0, k.key).toBe(ok ? 1 : 0);
      } else {
        const rows = { receive: 1, adjust: 1, transfer: 2 }[k.kind];
        expect(byKey.get(k.key) ?? { movements: 0, commands: 0 }, k.key).toEqual(ok ? { key: k.key, movements: rows, commands: 1 } : { movements: 0, commands: 0 });
      }
    }
    expect(replayed).toBeGreaterThan(100);

    // One lock order everywhere: the database saw no deadlock (retries would hide them from the commands).
    const [{ deadlocks: deadlocksAfter }] = await deadlockCount();
    expect(Number(deadlocksAfter) - Number(deadlocksBefore)).toBe(0);
  }, 120_000);
});

async function onHandOf(sku: string, location: string): Promise<number> {
  const [row] = (await conn.db.execute(sql`
    SELECT coalesce((SELECT on_hand FROM stock_levels WHERE product_id = ${w.productIds[sku]} AND location_id = ${w.bins[location].id}), 0) AS on_hand`)) as unknown as {
    on_hand: number;
  }[];
  return row.on_hand;
}

async function deadlockCount() {
  await conn.db.execute(sql`SELECT pg_stat_force_next_flush()`);
  await conn.db.execute(sql`SELECT pg_stat_clear_snapshot()`);
  return (await conn.db.execute(sql`SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()`)) as unknown as { deadlocks: string }[];
}
