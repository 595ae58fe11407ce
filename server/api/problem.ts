// application/problem+json (RFC 9457) for every error the API answers. `type` is an absolute URI ending in a
// stable slug (https://onhand.dev/problems/insufficient_stock); clients may switch on the slug after the last '/'.
import { randomUUID } from 'node:crypto';
import { httpStatusOf, InventoryError, type InventoryErrorType } from '@/server/inventory/kernel/errors';

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

// An error the API layer raises itself (authentication, limits, malformed input); the core raises InventoryError.
export class ApiProblem extends Error {
  constructor(
    readonly type: ProblemType,
    readonly status: number,
    detail: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'ApiProblem';
  }
}

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

export function fieldErrorsOf(fields: Record<string, string[]>): FieldError[] {
  return Object.entries(fields).flatMap(([field, messages]) =>
    messages.map((message) => ({ field: field === '_' ? 'body' : field, message })),
  );
}

// The one place an exception becomes an answer. Anything not typed as public is logged and answered generically.
export function errorResponse(e: unknown, where: string): Response {
  if (e instanceof ApiProblem) return problemResponse(e.type, e.status, e.message, e.extra, e.headers);
  if (e instanceof InventoryError) {
    const { fields, ...details } = e.details as { fields?: Record<string, string[]> } & Record<string, unknown>;
    const extra: Record<string, unknown> = {};
    // Sorted: a refusal replayed from the idempotency record (jsonb) reads exactly as the first answer did.
    for (const k of Object.keys(details).sort()) extra[RESERVED[k] ?? k] = details[k];
    if (fields) extra.errors = fieldErrorsOf(fields);
    return problemResponse(e.type, httpStatusOf[e.type], e.message, extra);
  }
  const id = randomUUID();
  console.error(`[api] ${where} failed (error ${id})`, e);
  return problemResponse('internal_error', 500, 'Something went wrong on our side. It is safe to retry with the same Idempotency-Key.', {
    instance: `urn:uuid:${id}`,
  });
}
