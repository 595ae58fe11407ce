// Runs one command: validate, then one transaction holding the idempotency record and every write,
// retried a bounded number of times on serialization failures and deadlocks.
import '#server-only';
import { createHash, randomUUID } from 'node:crypto';
import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db, Tx } from '@/db/client';
import { idempotencyKeys } from '@/db/schema';
import { appMetrics } from '@/server/observability/metrics';
import { actorRef, type Actor } from './actor';
import { evaluateTouched } from './alerts';
import { MAX_IDEMPOTENCY_KEY_LENGTH } from './schemas';
import type { CommandContext } from './clock';
import { claimRequestId } from '@/server/observability/request-context';
import { httpStatusOf, invalidInput, InventoryError, refuseNul, refusalFrom, rethrowRefusal, validationError, type InventoryErrorType } from './errors';

export type CommandOptions = {
  actor: Actor;
  // Same key and same request: the first outcome again, nothing written. Same key, other request: refused.
  idempotencyKey?: string;
  // The command's clock, for backdated history (the demo seed, imports). Honoured only for system actors: a
  // person or an API caller cannot write the past.
  now?: Date;
  // The command's id (the ledger's command_id); by default the id of the request it runs for (X-Request-Id), else new.
  commandId?: string;
  // The manager's approval of a stock change request this command applies: it commits with the command or not at
  // all, and a request rejected meanwhile refuses the command (onhand_decide_approval).
  approval?: { id: number; by: string };
};

type Stored =
  | { ok: true; value: unknown }
  | { ok: false; error: { type: InventoryErrorType; message: string; details: Record<string, unknown> } };

const MAX_ATTEMPTS = 5;
const RETRYABLE = new Set(['40001', '40P01']);

// `counted: false` keeps a command out of the app's metrics: the sweeper runs every few seconds whether or not
// anything expired, and reports what it released itself.
export type CommandSpec<S extends z.ZodType> = { name: string; schema: S; counted?: false };

// How a command that threw is named in the metrics: its refusal's type, or failed.
export const failureOutcome = (e: unknown): string => (e instanceof InventoryError ? e.type : 'failed');

export async function runCommand<S extends z.ZodType, R>(
  db: Db,
  spec: CommandSpec<S>,
  rawInput: unknown,
  opts: CommandOptions,
  body: (tx: Tx, input: z.output<S>, ctx: CommandContext) => Promise<R>,
): Promise<R> {
  return counted(spec, (seen) => attempt(db, spec, rawInput, opts, body, seen));
}

// The app's metrics for one command: its outcome (applied, replayed, or its refusal) and how long it took.
async function counted<R>(spec: { name: string; counted?: false }, run: (seen: { replayed: boolean }) => Promise<R>): Promise<R> {
  const seen = { replayed: false };
  if (spec.counted === false) return run(seen);
  const started = performance.now();
  const m = appMetrics();
  try {
    const value = await run(seen);
    m.commands.inc({ command: spec.name, outcome: seen.replayed ? 'replayed' : 'applied' });
    return value;
  } catch (e) {
    m.commands.inc({ command: spec.name, outcome: seen.replayed ? 'replayed' : failureOutcome(e) });
    throw e;
  } finally {
    m.commandSeconds.observe({ command: spec.name }, (performance.now() - started) / 1000);
  }
}

// What every command takes from its request before it runs: the validated input, and the idempotency key with the
// caller it belongs to and the request's fingerprint.
export type Prepared<I> = { input: I; key: string | undefined; scope: string; requestHash: string; commandId: string; at: Date | null };

export function prepare<S extends z.ZodType>(spec: CommandSpec<S>, rawInput: unknown, opts: CommandOptions): Prepared<z.output<S>> {
  const parsed = spec.schema.safeParse(rawInput);
  if (!parsed.success) throw validationError(parsed.error);
  refuseNul(parsed.data);
  const key = opts.idempotencyKey;
  checkIdempotencyKey(key);
  return {
    input: parsed.data,
    key,
    // A key belongs to its caller; the command is part of the request, so reusing a key for another
    // command is a mismatch, not a second command.
    scope: `${opts.actor.kind}:${opts.actor.id}`,
    requestHash: key ? hashRequest({ command: spec.name, input: parsed.data }) : '',
    commandId: opts.commandId ?? claimRequestId() ?? randomUUID(),
    // A backdate is honoured only for system actors: a person or an API caller cannot write the past.
    at: opts.now !== undefined && opts.actor.kind === 'system' ? opts.now : null,
  };
}

// One request's part of a database command function's call (migration 0023): who asks, under which key.
export function callRequest(p: Prepared<unknown>, actor: Actor) {
  return { actor: actorRef(actor), label: actor.label, command: p.commandId, scope: p.scope, key: p.key ?? null, hash: p.requestHash };
}

// A database command function's answer for each request it was given: the outcome, and whether it was stored.
export type CallAnswer = { replayed: boolean; answer: Stored };

// The HTTP status of each refusal, for the answers a database command function stores (the table is errors.ts's).
export const STATUSES = JSON.stringify(httpStatusOf);

// A command that is one call of a database function (hold, release): the call is the transaction, one statement on
// the wire with no BEGIN or COMMIT of its own. Retried like a transaction on serialization failures and deadlocks;
// the function rolls back whole.
export async function callFunction(db: Db, statement: SQL): Promise<CallAnswer[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      const [row] = await db.execute<{ r: CallAnswer[] }>(statement);
      return row.r;
    } catch (raised) {
      const e = refusalFrom(raised);
      if (attempt < MAX_ATTEMPTS && RETRYABLE.has(sqlState(e) ?? '')) {
        await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt));
        continue;
      }
      throw e;
    }
  }
}

// A command whose whole work is one database function call: validated and counted like any other.
export function runCall<S extends z.ZodType, R>(
  db: Db,
  spec: CommandSpec<S>,
  rawInput: unknown,
  opts: CommandOptions,
  call: (p: Prepared<z.output<S>>) => SQL,
): Promise<R> {
  return counted(spec, async (seen) => {
    const [a] = await callFunction(db, call(prepare(spec, rawInput, opts)));
    seen.replayed = a.replayed;
    return outcome<R>(a.answer);
  });
}

// An outcome as the caller sees it: the value, or the refusal thrown.
export function outcome<R>(a: Stored): R {
  if (a.ok) return a.value as R;
  throw new InventoryError(a.error.type, a.error.message, a.error.details);
}

async function attempt<S extends z.ZodType, R>(
  db: Db,
  spec: CommandSpec<S>,
  rawInput: unknown,
  opts: CommandOptions,
  body: (tx: Tx, input: z.output<S>, ctx: CommandContext) => Promise<R>,
  seen: { replayed: boolean },
): Promise<R> {
  const { input, key, scope, requestHash, commandId, at } = prepare(spec, rawInput, opts);

  for (let attempt = 1; ; attempt++) {
    try {
      const answer: Stored = await db.transaction(async (tx) => {
        if (key) {
          const prior = await claimKey(tx, scope, key, requestHash);
          // A key reused for another request is refused, not replayed: that refusal is never a stored outcome.
          seen.replayed = prior !== null && (prior.ok || prior.error.type !== 'idempotency_mismatch');
          if (prior) return prior;
        }
        const ctx: CommandContext = { actor: opts.actor, commandId, now: at ?? new Date(), backdated: at !== null, touched: [] };
        // Alert state follows the levels in the same transaction (invariant 4), after every stock row is locked.
        const run = async (t: Tx) => {
          const value = await body(t, input, ctx);
          await evaluateTouched(t, ctx);
          if (opts.approval) await decideApproval(t, opts.approval, value);
          return value;
        };
        if (!key) return { ok: true, value: toJson(await run(tx)) };
        // With a key, a refusal is an answer too: the command runs in a savepoint, its writes roll back to it, the answer
        // is kept. The driver's savepoint, not a SAVEPOINT statement: a statement the database refused (a refusal raised
        // by a command function) fails the driver's whole transaction unless it failed inside one.
        let result: Stored;
        try {
          result = { ok: true, value: toJson(await tx.transaction((sp) => run(sp))) };
        } catch (raised) {
          const e = refusalFrom(raised);
          if (!(e instanceof InventoryError)) throw e;
          result = { ok: false, error: e.toJSON() };
        }
        await tx
          .update(idempotencyKeys)
          .set({
            responseStatus: result.ok ? 200 : httpStatusOf[result.error.type],
            // Kept as the JSON text (a jsonb string): jsonb would reorder the keys of an object, and a
            // replay must be byte-for-byte the first answer.
            responseBody: JSON.stringify(result),
          })
          .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)));
        return result;
      });
      return outcome<R>(answer);
    } catch (e) {
      if (attempt < MAX_ATTEMPTS && RETRYABLE.has(sqlState(e) ?? '')) {
        await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt));
        continue;
      }
      throw refusalFrom(e);
    }
  }
}

async function decideApproval(tx: Tx, approval: { id: number; by: string }, value: unknown): Promise<void> {
  const movementId = (value as { movementId: number }).movementId;
  await tx.execute(sql`SELECT onhand_decide_approval(${approval.id}::bigint, ${approval.by}, ${movementId}::bigint)`).catch(rethrowRefusal);
}

// A stock change that is one call of onhand_run (migration 0024): its input as validated, who asks, under which key,
// and the approval it applies.
// `rules`: tables of the caller's the function applies (a purchase order's receivable states), passed, not copied.
export function runStockChange<S extends z.ZodType, R>(
  db: Db,
  spec: CommandSpec<S> & { name: 'adjust' | 'count' | 'transfer' | 'receive' | 'pick' | 'allocateOrder' },
  rawInput: unknown,
  opts: CommandOptions,
  rules: object = {},
): Promise<R> {
  return runCall(db, spec, rawInput, opts, (p) => {
    const call = {
      ...(p.input as object),
      ...rules,
      ...callRequest(p, opts.actor),
      // Another key's orders are unknown to this one (ownership.ts).
      apiKey: opts.actor.kind === 'api_key' ? opts.actor.id : null,
      at: p.at?.toISOString() ?? null,
      statuses: JSON.parse(STATUSES),
      approval: opts.approval ?? null,
    };
    return sql`SELECT onhand_run(${spec.name}, ${JSON.stringify(call)}::jsonb) AS r`;
  });
}

// Takes the key, or returns the outcome stored under it. A concurrent request with the same key waits on the
// unique index until the first commits, then reads its outcome.
async function claimKey(tx: Tx, scope: string, key: string, requestHash: string): Promise<Stored | null> {
  const claimed = await tx
    .insert(idempotencyKeys)
    .values({ scope, key, requestHash, responseStatus: 0, responseBody: 'null' })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  if (claimed.length) return null;
  const [prior] = await tx
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)));
  if (prior.requestHash !== requestHash) {
    return {
      ok: false,
      error: {
        type: 'idempotency_mismatch',
        message: 'This Idempotency-Key was already used with a different request. Use a new key for a new request.',
        details: {},
      },
    };
  }
  // The driver hands back the stored text already parsed, keys in their first order.
  const body = prior.responseBody;
  return (typeof body === 'string' ? JSON.parse(body) : body) as Stored;
}

export function sqlState(e: unknown): string | undefined {
  for (let cur = e as { code?: unknown; cause?: unknown } | undefined, i = 0; cur && i < 5; cur = cur.cause as typeof cur, i++) {
    if (typeof cur.code === 'string' && /^[0-9A-Z]{5}$/.test(cur.code)) return cur.code;
  }
  return undefined;
}

// Every path that stores a key (REST, server actions, queue messages) meets this bound in the core.
export function checkIdempotencyKey(key: string | undefined): void {
  if (key !== undefined && (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH)) {
    throw invalidInput({ idempotencyKey: [`must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`] });
  }
}

// Results cross the wire and are replayed from jsonb: make the first answer exactly what a replay returns.
function toJson<R>(value: R): R {
  return value === undefined ? value : JSON.parse(JSON.stringify(value));
}

export function hashRequest(input: unknown): string {
  return createHash('sha256').update(stableStringify(input)).digest('hex');
}

function stableStringify(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  if (v instanceof Date) return JSON.stringify(v.toISOString());
  const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
  entries.sort(([a], [b]) => (a < b ? -1 : 1));
  return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${stableStringify(x)}`).join(',')}}`;
}
