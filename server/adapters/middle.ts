// The middle every adapter stands on (REST routes, dashboard reads, server actions, the sidecar's HTTP): input
// parsed into field errors one way, and every error answered one way, as application/problem+json (RFC 9457) or as
// an action state. `type` is an absolute URI ending in a stable slug (https://onhand.dev/problems/insufficient_stock);
// clients may switch on the slug after the last '/'.
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { ActionState } from '@/lib/contracts/action-state';
import { logger } from '@/server/observability/log';
import { currentRequestId } from '@/server/observability/request-context';
import {
  fieldErrorsOf,
  fieldsWithNul,
  httpStatusOf,
  invalidInput,
  InventoryError,
  NUL_MESSAGE,
  type FieldErrors,
  type InventoryErrorType,
} from '@/server/inventory/kernel/errors';

const log = logger();

export const PROBLEM_BASE = 'https://onhand.dev/problems/';

export type ProblemType =
  | InventoryErrorType
  | 'unauthorized'
  | 'forbidden'
  | 'rate_limited'
  | 'payload_too_large'
  | 'unavailable'
  | 'internal_error';

export const problemTitles: Record<ProblemType, string> = {
  validation_failed: 'The request is not valid',
  not_found: 'Not found',
  insufficient_stock: 'Not enough stock',
  conflict: 'Conflict with the current state',
  invalid_state: 'Not allowed in the current state',
  idempotency_mismatch: 'Idempotency-Key reused with a different request',
  unauthorized: 'Authentication required',
  forbidden: 'Missing scope',
  rate_limited: 'Too many requests',
  payload_too_large: 'Request body too large',
  unavailable: 'Temporarily unavailable',
  internal_error: 'Internal server error',
};

export type FieldError = { field: string; message: string };

// An error an adapter raises itself (no session, a missing role or scope, a limit, malformed input); the core
// raises InventoryError. Its message is for the caller, like the core's.
export class Refusal extends Error {
  constructor(
    readonly type: ProblemType,
    readonly status: number,
    detail: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'Refusal';
  }
}

// ── Input ─────────────────────────────────────────────────────────────────────────────────────────────────────
// Parses what the caller sent. Every bad field is named at once, the way the core names them: zod's issues, and
// each field carrying U+0000 anywhere in what was sent (PostgreSQL text cannot hold it). The refusal's message sums
// the fields up unless the adapter says it its own way ("Check the highlighted fields.").
export function parseWith<S extends z.ZodType>(schema: S, raw: unknown, message?: string): z.output<S> {
  const parsed = schema.safeParse(raw);
  const nul = fieldsWithNul(raw);
  if (parsed.success && !nul.length) return parsed.data;
  const fields: FieldErrors = parsed.success ? {} : fieldErrorsOf(parsed.error);
  for (const field of nul) (fields[field] ??= []).push(NUL_MESSAGE);
  throw invalidInput(fields, message);
}

// The query string, parsed the same way. Repeated parameters become arrays where the schema expects an array
// (sku=A&sku=B); otherwise the first value is used.
export function parseQuery<S extends z.ZodType>(schema: S, url: URL, message?: string): z.output<S> {
  return parseWith(schema, queryOf(url, schema), message);
}

function queryOf(url: URL, schema: z.ZodType): Record<string, unknown> {
  const shape = under(schema, 'object')?.shape ?? {};
  const out: Record<string, unknown> = {};
  for (const name of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(name);
    const field = shape[name];
    out[name] = field && under(field, 'array') ? values : values[0];
  }
  return out;
}

type Def = { type: string; shape?: Record<string, z.ZodType>; innerType?: z.ZodType; in?: z.ZodType };

// The definition of the given type under a schema's wrappers (optional, default, catch, a pipe's input), if any.
function under(s: z.ZodType, type: string): Def | undefined {
  const def = s._zod.def as Def;
  if (def.type === type) return def;
  const inner = def.innerType ?? def.in;
  return inner ? under(inner, type) : undefined;
}

// ── Answers ───────────────────────────────────────────────────────────────────────────────────────────────────
// Problem members a detail must not overwrite; the core's `status` (an order's state) is renamed `state`.
const RESERVED: Record<string, string> = { type: 'kind', title: 'name', status: 'state', detail: 'info', instance: 'ref' };

export function problemResponse(
  type: ProblemType,
  status: number,
  detail: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Response {
  const body = { type: PROBLEM_BASE + type, title: problemTitles[type], status, detail, ...extra };
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/problem+json', 'Cache-Control': 'no-store', ...headers },
  });
}

function fieldErrorList(fields: FieldErrors): FieldError[] {
  return Object.entries(fields).flatMap(([field, messages]) =>
    messages.map((message) => ({ field: field === '_' ? 'body' : field, message })),
  );
}

// The one place an exception becomes a problem. Anything not typed as public is logged and answered generically;
// `retry` tells the caller how to try again.
export function errorResponse(e: unknown, where: string, retry = 'It is safe to retry with the same Idempotency-Key.'): Response {
  if (e instanceof Refusal) return problemResponse(e.type, e.status, e.message, e.extra, e.headers);
  if (e instanceof InventoryError) {
    const { fields, ...details } = e.details as { fields?: FieldErrors } & Record<string, unknown>;
    const extra: Record<string, unknown> = {};
    // Sorted: a refusal replayed from the idempotency record (jsonb) reads exactly as the first answer did.
    for (const k of Object.keys(details).sort()) extra[RESERVED[k] ?? k] = details[k];
    if (fields) extra.errors = fieldErrorList(fields);
    return problemResponse(e.type, httpStatusOf[e.type], e.message, extra);
  }
  const id = randomUUID();
  log.error({ err: e, where, errorId: id, requestId: currentRequestId() }, `${where} failed`);
  return problemResponse('internal_error', 500, `Something went wrong on our side. ${retry}`, { instance: `urn:uuid:${id}` });
}

// The same for a form: public errors are shown as they are, next to their fields; anything else is logged and
// answered generically (the transaction rolled back, so nothing changed).
export function errorState<T>(e: unknown): ActionState<T> {
  if (e instanceof Refusal) return { status: 'error', message: e.message, at: Date.now() };
  if (e instanceof InventoryError) {
    return { status: 'error', message: e.message, fieldErrors: e.details.fields as FieldErrors | undefined, at: Date.now() };
  }
  log.error({ err: e, requestId: currentRequestId() }, 'server action failed');
  return { status: 'error', message: 'Something went wrong on our side and nothing was changed. Try again.', at: Date.now() };
}
