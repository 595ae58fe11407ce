// Typed errors of the domain core. Their messages are written for the person who made the request:
// adapters show them as they are (form message, problem+json detail). Anything else is a bug, logged, never shown.
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

export const notFound = (what: string, value: string | number) =>
  new InventoryError('not_found', `No ${what} matches ${JSON.stringify(value)}.`, { [what]: value });
