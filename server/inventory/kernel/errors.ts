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

export function validationError(error: z.ZodError): InventoryError {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join('.') : '_';
    (fields[key] ??= []).push(issue.message);
  }
  const summary = Object.entries(fields)
    .map(([field, messages]) => `${field}: ${messages[0]}`)
    .join('; ');
  return new InventoryError('validation_failed', `Invalid request: ${summary}`, { fields });
}

// PostgreSQL text cannot hold U+0000, so a string carrying one would fail in the database as our fault (a 500).
// Every adapter and the core refuse it up front instead, naming each field that has one.
export const NUL_MESSAGE = 'must not contain the NUL character (U+0000)';

export function fieldsWithNul(value: unknown, path: string[] = [], out: string[] = []): string[] {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) out.push(path.join('.') || '_');
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => fieldsWithNul(v, [...path, String(i)], out));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) fieldsWithNul(v, [...path, k], out);
  }
  return out;
}

export function refuseNul(value: unknown): void {
  const fields = fieldsWithNul(value);
  if (!fields.length) return;
  throw new InventoryError('validation_failed', `Invalid request: ${fields.map((f) => `${f}: ${NUL_MESSAGE}`).join('; ')}`, {
    fields: Object.fromEntries(fields.map((f) => [f, [NUL_MESSAGE]])),
  });
}

export const notFound = (what: string, value: string | number) =>
  new InventoryError('not_found', `No ${what} matches ${JSON.stringify(value)}.`, { [what]: value });
