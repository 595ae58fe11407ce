// Shared pieces of the dashboard's server actions: form-field schemas (FormData arrives as strings, so numbers
// are coerced) and placing a core error next to the field the worker can fix.
import 'server-only';
import { z } from 'zod';
import { InventoryError, MAX_QTY, type InventoryErrorType } from '@/server/inventory';

export const text = (required: string) => z.string({ error: required }).trim().min(1, required).max(200);
export const optionalText = z
  .string()
  .trim()
  .max(1000)
  .optional()
  .transform((v) => (v ? v : undefined));
// A blank number field is a missing number, not 0 (which is what coercion would make of it).
export const blankAsMissing = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

export const units = (what: string) =>
  z.preprocess(
    blankAsMissing,
    z.coerce
      .number({ error: `Enter ${what}` })
      .int('Whole units only')
      .min(1, 'At least 1')
      .max(MAX_QTY, `At most ${MAX_QTY.toLocaleString('en')}`),
  );

type Details = Record<string, unknown>;
type Where = Partial<Record<InventoryErrorType, string | ((details: Details) => string | undefined)>>;

// Returns the error to throw: the same core error, with its message attached to the form field it concerns.
// Core validation errors name fields by the core's keys; `rename` maps them to the form's.
export function placeError(e: unknown, where: Where, rename: Record<string, string> = {}): unknown {
  if (!(e instanceof InventoryError)) return e;
  const fields = e.details.fields as Record<string, string[]> | undefined;
  if (fields) {
    const renamed = Object.fromEntries(Object.entries(fields).map(([k, v]) => [rename[k] ?? k, v]));
    return new InventoryError(e.type, e.message, { ...e.details, fields: renamed });
  }
  const w = where[e.type];
  const field = typeof w === 'function' ? w(e.details) : w;
  if (!field) return e;
  return new InventoryError(e.type, e.message, { ...e.details, fields: { [field]: [e.message] } });
}

// A not_found names what was missing: the product, or the bin (with its warehouse).
export const missingField =
  (location = 'location', sku = 'sku') =>
  (d: Details) =>
    'sku' in d ? sku : 'location' in d || 'warehouse' in d ? location : undefined;
