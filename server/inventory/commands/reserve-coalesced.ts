// Coalesced cart holds, for a flash sale on one SKU: concurrent `reserve` calls for the same SKU (and warehouse)
// join one transaction, the way a database groups commits. While a batch runs, newcomers queue; when it commits,
// the next batch takes everyone who queued meanwhile (up to maxBatch). A hot row is then locked once per batch
// instead of once per hold, which is the known way past the single-row limit (DESIGN.md, Concurrency).
//
// Each request keeps its own outcome: its own hold id, its own ledger row (with its own version and figures
// after, in arrival order), its own idempotency record and stored answer, and its own refusal when the stock
// runs out partway through a batch (a refused request writes nothing). The rules are reserve's: the same
// allocation rule, the same conditional statement deciding (reserved + total <= on_hand), alerts evaluated in
// the same transaction. A request whose Idempotency-Key is already taken (a replay, or the same key twice at
// once) leaves the batch and goes through `reserve` itself, which answers from the stored record.
import '#server-only';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db, Tx } from '@/db/client';
import { idempotencyKeys, locations, reservations, stockLevels, stockMovements } from '@/db/schema';
import { actorRef } from '../kernel/actor';
import { describePicks, lockCandidates, notEnough, planAllocation, writeScope, type Planned, type WriteScope } from '../kernel/allocation';
import { evaluateTouched } from '../kernel/alerts';
import { bare, columnList } from '../kernel/column-names';
import type { CommandContext } from '../kernel/clock';
import { checkIdempotencyKey, failureOutcome, hashRequest, sqlState, type CommandOptions } from '../kernel/command';
import { httpStatusOf, InventoryError, validationError } from '../kernel/errors';
import { productBySku } from '../kernel/lookup';
import { appMetrics } from '@/server/observability/metrics';
import { ownerKeyOf } from '../kernel/ownership';
import { reserve, reserveInput, type ReserveInput, type ReserveResult } from './reserve';

type Parsed = ReturnType<typeof reserveInput.parse>;
type Pending = {
  input: Parsed;
  raw: ReserveInput;
  opts: CommandOptions;
  scope: string;
  hash: string;
  resolve: (r: ReserveResult) => void;
  reject: (e: unknown) => void;
  queuedAt: number;
};
type Outcome = { ok: true; value: ReserveResult } | { ok: false; error: InventoryError };

const MAX_ATTEMPTS = 5;
const RETRYABLE = new Set(['40001', '40P01']);

export type ReserveCoalescer = {
  reserve: (input: ReserveInput, opts: CommandOptions) => Promise<ReserveResult>;
  stats: () => { batches: number; holds: number; largest: number };
};

export function createReserveCoalescer(db: Db, options: { maxBatch?: number } = {}): ReserveCoalescer {
  const maxBatch = options.maxBatch ?? 100;
  const queues = new Map<string, { running: boolean; waiting: Pending[] }>();
  const counts = { batches: 0, holds: 0, largest: 0 };

  async function drain(key: string) {
    const q = queues.get(key)!;
    q.running = true;
    while (q.waiting.length) {
      const batch = q.waiting.splice(0, maxBatch);
      counts.batches++;
      counts.holds += batch.length;
      counts.largest = Math.max(counts.largest, batch.length);
      await runBatch(db, batch);
    }
    q.running = false;
    queues.delete(key);
  }

  return {
    reserve(raw, opts) {
      const refused = (e: unknown) => {
        appMetrics().commands.inc({ command: 'reserve', outcome: failureOutcome(e) });
        return Promise.reject(e);
      };
      const parsed = reserveInput.safeParse(raw);
      if (!parsed.success) return refused(validationError(parsed.error));
      try {
        checkIdempotencyKey(opts.idempotencyKey);
      } catch (e) {
        return refused(e);
      }
      // A backdated command is a system import, not a shopper: it takes the ordinary path.
      if (opts.now !== undefined) return reserve(db, raw, opts);
      const input = parsed.data;
      return new Promise<ReserveResult>((resolve, reject) => {
        const key = `${input.sku}\u0000${input.warehouse ?? ''}\u0000${input.channel ?? ''}`;
        const q = queues.get(key) ?? { running: false, waiting: [] };
        queues.set(key, q);
        q.waiting.push({
          input,
          raw,
          opts,
          scope: `${opts.actor.kind}:${opts.actor.id}`,
          hash: opts.idempotencyKey ? hashRequest({ command: 'reserve', input }) : '',
          resolve,
          reject,
          queuedAt: performance.now(),
        });
        if (!q.running) void drain(key);
      });
    },
    stats: () => ({ ...counts }),
  };
}

async function runBatch(db: Db, batch: Pending[]) {
  let deferred: Pending[] = [];
  for (let attempt = 1; ; attempt++) {
    try {
      const { outcomes, deferred: later } = await db.transaction((tx) => batchTransaction(tx, batch));
      deferred = later;
      for (const [p, o] of outcomes) {
        counted(p, o.ok ? 'applied' : o.error.type);
        if (o.ok) p.resolve(o.value);
        else p.reject(o.error);
      }
      break;
    } catch (e) {
      if (attempt < MAX_ATTEMPTS && RETRYABLE.has(sqlState(e) ?? '')) {
        await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt));
        continue;
      }
      // Nothing of the batch was written. Alone, a request fails with its own error; in a batch, each is retried
      // on its own transaction, so whatever broke the batch fails only the request that causes it.
      if (batch.length === 1) {
        counted(batch[0], failureOutcome(e));
        batch[0].reject(e);
      } else await Promise.all(batch.map((p) => reserve(db, p.raw, p.opts).then(p.resolve, p.reject)));
      return;
    }
  }
  // Keys already taken: the ordinary path replays the stored answer (or waits for the request holding the key).
  await Promise.all(deferred.map((p) => reserve(db, p.raw, p.opts).then(p.resolve, p.reject)));
}

// A request answered by the batch itself is counted here like any command (runCommand's metrics); one handed to
// `reserve` is counted there.
function counted(p: Pending, outcome: string) {
  const m = appMetrics();
  m.commands.inc({ command: 'reserve', outcome });
  m.commandSeconds.observe({ command: 'reserve' }, (performance.now() - p.queuedAt) / 1000);
}

async function batchTransaction(tx: Tx, batch: Pending[]): Promise<{ outcomes: Map<Pending, Outcome>; deferred: Pending[] }> {
  const keyed = batch.filter((p) => p.opts.idempotencyKey);
  const claimed = new Set<string>();
  if (keyed.length) {
    const rows = await tx.execute<{ scope: string; key: string }>(sql`
      INSERT INTO ${idempotencyKeys}
        ${columnList(idempotencyKeys.scope, idempotencyKeys.key, idempotencyKeys.requestHash, idempotencyKeys.responseStatus, idempotencyKeys.responseBody)}
      SELECT s, k, h, 0, 'null'::jsonb FROM unnest(${sql.param(keyed.map((p) => p.scope))}::text[], ${sql.param(keyed.map((p) => p.opts.idempotencyKey!))}::text[], ${sql.param(keyed.map((p) => p.hash))}::text[]) AS u(s, k, h)
      ON CONFLICT DO NOTHING
      RETURNING ${idempotencyKeys.scope} AS scope, ${idempotencyKeys.key} AS key`);
    for (const r of rows) claimed.add(`${r.scope}\u0000${r.key}`);
  }
  // A key used twice in one batch is claimed once: the second waits for the first's stored answer, like a replay.
  const seen = new Set<string>();
  const live: Pending[] = [];
  const deferred: Pending[] = [];
  for (const p of batch) {
    const k = p.opts.idempotencyKey ? `${p.scope}\u0000${p.opts.idempotencyKey}` : null;
    if (k && (!claimed.has(k) || seen.has(k))) deferred.push(p);
    else {
      if (k) seen.add(k);
      live.push(p);
    }
  }
  const outcomes = new Map<Pending, Outcome>();
  if (live.length) await holdAll(tx, live, outcomes);
  // Every keyed request in the batch stores its answer, a refusal included, in the same transaction.
  const stored = live.filter((p) => p.opts.idempotencyKey);
  if (stored.length) {
    const answer = (o: Outcome) => (o.ok ? { ok: true, value: o.value } : { ok: false, error: o.error.toJSON() });
    await tx.execute(sql`
      UPDATE ${idempotencyKeys} SET ${bare(idempotencyKeys.responseStatus)} = u.st, ${bare(idempotencyKeys.responseBody)} = to_jsonb(u.b)
      FROM unnest(${sql.param(stored.map((p) => p.scope))}::text[], ${sql.param(stored.map((p) => p.opts.idempotencyKey!))}::text[],
        ${sql.param(stored.map((p) => { const o = outcomes.get(p)!; return o.ok ? 200 : httpStatusOf[o.error.type]; }))}::int[],
        ${sql.param(stored.map((p) => JSON.stringify(answer(outcomes.get(p)!))))}::text[]) AS u(s, k, st, b)
      WHERE ${idempotencyKeys.scope} = u.s AND ${idempotencyKeys.key} = u.k`);
  }
  return { outcomes, deferred };
}

async function holdAll(tx: Tx, live: Pending[], outcomes: Map<Pending, Outcome>) {
  const first = live[0].input;
  const ctx: CommandContext = { actor: live[0].opts.actor, commandId: randomUUID(), now: new Date(), backdated: false, touched: [] };
  let product: Awaited<ReturnType<typeof productBySku>>;
  let scope: WriteScope;
  try {
    product = await productBySku(tx, first.sku);
    scope = await writeScope(tx, { warehouse: first.warehouse, channel: first.channel, requireChannel: true });
  } catch (e) {
    if (!(e instanceof InventoryError)) throw e;
    for (const p of live) outcomes.set(p, { ok: false, error: e });
    return;
  }
  const candidates = await lockCandidates(tx, [product.id], { warehouseIds: scope.warehouseIds });
  // Plan each hold in arrival order against what the holds before it left.
  type Granted = { p: Pending; holdId: string; commandId: string; picks: Planned[]; expiresAt: Date };
  const granted: Granted[] = [];
  for (const p of live) {
    const plan = planAllocation(candidates, product.id, p.input.qty, { buffer: scope.buffer });
    if (plan.filled < p.input.qty) {
      outcomes.set(p, { ok: false, error: notEnough(product.sku, p.input.qty, plan.available, scope.where) });
      continue;
    }
    for (const pk of plan.picks) pk.candidate.available -= pk.qty;
    granted.push({ p, holdId: randomUUID(), commandId: p.opts.commandId ?? randomUUID(), picks: plan.picks, expiresAt: new Date(ctx.now.getTime() + p.input.ttlSeconds * 1000) });
  }
  if (!granted.length) return;
  // One statement per location: the level moves by the batch's total, and each hold gets its own ledger row with
  // the version and figures it left behind.
  const byLocation = new Map<number, { qty: number; holdId: string; actor: string; commandId: string }[]>();
  for (const g of granted) {
    for (const pk of g.picks) {
      const list = byLocation.get(pk.candidate.locationId) ?? [];
      list.push({ qty: pk.qty, holdId: g.holdId, actor: actorRef(g.p.opts.actor), commandId: g.commandId });
      byLocation.set(pk.candidate.locationId, list);
    }
  }
  for (const locationId of [...byLocation.keys()].sort((a, b) => a - b)) {
    const d = byLocation.get(locationId)!;
    const total = d.reduce((s, x) => s + x.qty, 0);
    const rows = await tx.execute<{ version: number; moved: number; warehouse_id: number }>(sql`
      WITH d AS (
        SELECT * FROM unnest(${sql.param(d.map((x) => x.qty))}::int[], ${sql.param(d.map((x) => x.holdId))}::text[],
          ${sql.param(d.map((x) => x.actor))}::text[], ${sql.param(d.map((x) => x.commandId))}::uuid[]) WITH ORDINALITY AS d(q, hold, actor, cmd, n)),
      lvl AS (
        UPDATE ${stockLevels}
        SET ${bare(stockLevels.reserved)} = ${stockLevels.reserved} + ${total}, ${bare(stockLevels.version)} = ${stockLevels.version} + ${d.length},
          ${bare(stockLevels.updatedAt)} = now()
        WHERE ${stockLevels.productId} = ${product.id} AND ${stockLevels.locationId} = ${locationId} AND ${stockLevels.reserved} + ${total} <= ${stockLevels.onHand}
        RETURNING ${stockLevels.productId} AS product_id, ${stockLevels.locationId} AS location_id, ${stockLevels.onHand} AS on_hand,
          ${stockLevels.reserved} AS reserved, ${stockLevels.version} AS version),
      mv AS (
        INSERT INTO ${stockMovements} ${columnList(
          stockMovements.productId, stockMovements.locationId, stockMovements.kind, stockMovements.onHandDelta, stockMovements.reservedDelta,
          stockMovements.onHandAfter, stockMovements.reservedAfter, stockMovements.version, stockMovements.referenceType,
          stockMovements.referenceId, stockMovements.actor, stockMovements.commandId, stockMovements.createdAt,
        )}
        SELECT lvl.product_id, lvl.location_id, 'reservation', 0, d.q, lvl.on_hand,
          lvl.reserved - ${total} + sum(d.q) OVER (ORDER BY d.n), lvl.version - ${d.length} + d.n::int, 'hold', d.hold, d.actor, d.cmd, now()
        FROM d CROSS JOIN lvl
        RETURNING ${stockMovements.id})
      SELECT lvl.version, (SELECT count(*) FROM mv)::int AS moved,
        (SELECT ${locations.warehouseId} FROM ${locations} WHERE ${locations.id} = lvl.location_id) AS warehouse_id
      FROM lvl`);
    // The rows are locked and the plan was made on them: a refusal here means the figures are not what was read.
    if (!rows[0] || rows[0].moved !== d.length) throw new Error(`coalesced hold: level ${product.id}/${locationId} refused a planned change`);
    ctx.touched.push({ productId: product.id, locationId, warehouseId: rows[0].warehouse_id });
  }
  await tx.insert(reservations).values(
    granted.flatMap((g) =>
      g.picks.map((pk) => ({
        productId: product.id,
        locationId: pk.candidate.locationId,
        qty: pk.qty,
        reference: g.p.input.reference ?? null,
        holdId: g.holdId,
        expiresAt: g.expiresAt,
        createdBy: g.p.opts.actor.label,
        ownerKeyId: ownerKeyOf(g.p.opts.actor),
      })),
    ),
  );
  await evaluateTouched(tx, ctx);
  for (const g of granted) {
    const value: ReserveResult = {
      id: g.holdId,
      sku: product.sku,
      qty: g.p.input.qty,
      expiresAt: g.expiresAt.toISOString(),
      reference: g.p.input.reference ?? null,
      allocations: describePicks(g.picks),
    };
    outcomes.set(g.p, { ok: true, value });
  }
}
