// Coalesced cart holds, for a flash sale on one SKU: concurrent `reserve` calls for the same SKU (and warehouse)
// join one transaction, the way a database groups commits. While a batch runs, newcomers queue; when it commits,
// the next batch takes everyone who queued meanwhile (up to maxBatch). A hot row is then locked once per batch
// instead of once per hold, which is the known way past the single-row limit (DESIGN.md, Concurrency).
//
// A batch is one call of onhand_hold (migration 0023), the function a single `reserve` calls: each request keeps
// its own outcome there, its own hold id, ledger row (with its own version and figures after, in arrival order),
// idempotency record and stored answer, its own replay when its key was already used, and its own refusal when the
// stock runs out partway through a batch (a refused request writes nothing).
import '#server-only';
import type { Db } from '@/db/client';
import { callFunction, failureOutcome, outcome, prepare, type CallAnswer, type CommandOptions } from '../kernel/command';
import { appMetrics } from '@/server/observability/metrics';
import { holdCall, reserve, reserveInput, type HoldRequest, type ReserveInput, type ReserveResult } from './reserve';

type Pending = HoldRequest & {
  raw: ReserveInput;
  opts: CommandOptions;
  resolve: (r: ReserveResult) => void;
  reject: (e: unknown) => void;
  queuedAt: number;
};

export type ReserveCoalescer = {
  reserve: (input: ReserveInput, opts: CommandOptions) => Promise<ReserveResult>;
  stats: () => { batches: number; holds: number; largest: number };
};

const spec = { name: 'reserve', schema: reserveInput };

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
      // A backdated command is a system import, not a shopper: it takes the ordinary path.
      if (opts.now !== undefined) return reserve(db, raw, opts);
      let prepared: HoldRequest['prepared'];
      try {
        prepared = prepare(spec, raw, opts);
      } catch (e) {
        appMetrics().commands.inc({ command: 'reserve', outcome: failureOutcome(e) });
        return Promise.reject(e);
      }
      const { input } = prepared;
      return new Promise<ReserveResult>((resolve, reject) => {
        const key = `${input.sku}\u0000${input.warehouse ?? ''}\u0000${input.channel ?? ''}`;
        const q = queues.get(key) ?? { running: false, waiting: [] };
        queues.set(key, q);
        q.waiting.push({ prepared, actor: opts.actor, raw, opts, resolve, reject, queuedAt: performance.now() });
        if (!q.running) void drain(key);
      });
    },
    stats: () => ({ ...counts }),
  };
}

async function runBatch(db: Db, batch: Pending[]) {
  let answers: CallAnswer[];
  try {
    answers = await callFunction(db, holdCall(batch));
  } catch (e) {
    // Nothing of the batch was written. Alone, a request fails with its own error; in a batch, each is retried
    // on its own call, so whatever broke the batch fails only the request that causes it.
    if (batch.length === 1) {
      counted(batch[0], failureOutcome(e));
      batch[0].reject(e);
    } else await Promise.all(batch.map((p) => reserve(db, p.raw, p.opts).then(p.resolve, p.reject)));
    return;
  }
  for (const [n, p] of batch.entries()) {
    const { replayed, answer } = answers[n];
    counted(p, replayed ? 'replayed' : answer.ok ? 'applied' : answer.error.type);
    try {
      p.resolve(outcome<ReserveResult>(answer));
    } catch (e) {
      p.reject(e);
    }
  }
}

// A request answered by the batch is counted here like any command (runCommand's metrics); one handed to `reserve`
// is counted there.
function counted(p: Pending, outcome: string) {
  const m = appMetrics();
  m.commands.inc({ command: 'reserve', outcome });
  m.commandSeconds.observe({ command: 'reserve' }, (performance.now() - p.queuedAt) / 1000);
}
