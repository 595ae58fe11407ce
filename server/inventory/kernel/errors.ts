// Typed errors of the domain core. Their messages are written for the person who made the request:
// adapters show them as they are (form message, problem+json detail). Anything else is a bug, logged, never shown.
import '#server-only';
import type { z } from 'zod';

export type InventoryErrorType =
  | 'validation_failed'
  | 'not_found'
  | 'insufficient_stock'
  | 'conflict'
  | 'invalid_state'
  | 'idempotency_mismatch';

export type FieldErrors = Record<string, string[]>;

export class InventoryError extends Error {
  constructor(
    readonly type: InventoryErrorType,
    message: string,
    // Public figures a caller can act on: { available: 3 }, { current: 12 }, per-field messages.
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'InventoryError';
  }

  toJSON() {
    return { type: this.type, message: this.message, details: this.details };
  }
}

export const httpStatusOf: Record<InventoryErrorType, number> = {
  validation_failed: 422,
  not_found: 404,
  insufficient_stock: 409,
  conflict: 409,
  invalid_state: 409,
  idempotency_mismatch: 422,
};

// The one way zod's issues become field errors: each message under its field's path (lines.0.qty), '_' for the
// input as a whole. The core and every adapter name fields this way.
export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) (fields[issue.path.length ? issue.path.join('.') : '_'] ??= []).push(issue.message);
  return fields;
}

// A validation error naming every bad field; the message sums them up unless the caller says it its own way.
export function invalidInput(fields: FieldErrors, message?: string): InventoryError {
  const summary = Object.entries(fields)
    .map(([field, messages]) => `${field}: ${messages[0]}`)
    .join('; ');
  return new InventoryError('validation_failed', message ?? `Invalid request: ${summary}`, { fields });
}

export function validationError(error: z.ZodError): InventoryError {
  return invalidInput(fieldErrorsOf(error));
}

// PostgreSQL text cannot hold U+0000, so a string carrying one would fail in the database as our fault (a 500).
// Every adapter and the core refuse it up front instead, naming each field that has one.
export const NUL_MESSAGE = 'must not contain the NUL character (U+0000)';

// A stack, not recursion: a JSON body may nest deeper than the call stack goes. Fields come out in document order.
export function fieldsWithNul(value: unknown): string[] {
  const out: string[] = [];
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) out.push(path || '_');
    } else if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) stack.push([entries[i][1], path ? `${path}.${entries[i][0]}` : entries[i][0]]);
    }
  }
  return out;
}

export function refuseNul(value: unknown): void {
  const fields = fieldsWithNul(value);
  if (fields.length) throw invalidInput(Object.fromEntries(fields.map((f) => [f, [NUL_MESSAGE]])));
}

export const notFound = (what: string, value: string | number) =>
  new InventoryError('not_found', `No ${what} matches ${JSON.stringify(value)}.`, { [what]: value });

// A refusal raised by the database's command functions (SQLSTATE OH001, its JSON as the message: migration 0024),
// as the same refusal here; anything else unchanged. Drizzle wraps the driver's error: the cause chain is walked.
export function refusalFrom(e: unknown): unknown {
  for (let cur = e as { code?: unknown; message?: unknown; cause?: unknown } | undefined, i = 0; cur && i < 5; cur = cur.cause as typeof cur, i++) {
    if (cur.code === 'OH001' && typeof cur.message === 'string') {
      const r = JSON.parse(cur.message) as { type: InventoryErrorType; message: string; details: Record<string, unknown> };
      return new InventoryError(r.type, r.message, r.details);
    }
  }
  return e;
}

// Rethrows a database refusal as the refusal it is.
export const rethrowRefusal = (e: unknown): never => {
  throw refusalFrom(e);
};
