// Reading one cell of an import row: empty means "not given" (an update keeps the value); anything else is parsed
// strictly, and a problem becomes a reason the row is refused, worded for the person who made the file.
import '#server-only';
import type { z } from 'zod';
import { looksLikeFormula } from '@/lib/csv';

export type Reasons = string[];

export function given(v: string | undefined): string | undefined {
  const t = v?.trim();
  return t ? t : undefined;
}

// Text that a spreadsheet would run is refused: it is never what a SKU, name or bin code means.
export function text(v: string | undefined, label: string, reasons: Reasons): string | undefined {
  const t = given(v);
  if (t !== undefined && (looksLikeFormula(v!) || looksLikeFormula(t))) {
    reasons.push(`${label} "${t.slice(0, 40)}" looks like a spreadsheet formula`);
    return undefined;
  }
  return t;
}

export function whole(v: string | undefined, label: string, reasons: Reasons): number | undefined {
  const t = given(v);
  if (t === undefined) return undefined;
  if (!/^-?\d+(\.0+)?$/.test(t)) {
    reasons.push(`${label} "${t.slice(0, 40)}" is not a whole number`);
    return undefined;
  }
  return Number.parseInt(t, 10);
}

const TRUE = new Set(['true', 'yes', 'y', '1', 'active']);
const FALSE = new Set(['false', 'no', 'n', '0', 'inactive', 'archived']);
export function flag(v: string | undefined, label: string, reasons: Reasons): boolean | undefined {
  const t = given(v)?.toLowerCase();
  if (t === undefined) return undefined;
  if (TRUE.has(t)) return true;
  if (FALSE.has(t)) return false;
  reasons.push(`${label} "${t.slice(0, 40)}" is not true or false`);
  return undefined;
}

// A value through one of the core's own field schemas, so an import refuses what a form would.
export function checked<S extends z.ZodType>(schema: S, value: unknown, label: string, reasons: Reasons): z.output<S> | undefined {
  if (value === undefined) return undefined;
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  reasons.push(...r.error.issues.map((i) => (i.message.toLowerCase().startsWith(label.toLowerCase()) ? i.message : `${label}: ${i.message}`)));
  return undefined;
}

// A list of values as one text[] parameter, for `= ANY(...)` lookups of a whole batch.
export { textArray } from '../kernel/text-array';
