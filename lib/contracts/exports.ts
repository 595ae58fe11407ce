// The query strings of the CSV exports (stock as of an instant, the ledger over a range, the catalogue).
import { z } from 'zod';

const instant = (what: string) =>
  z
    .string()
    .trim()
    .refine((v) => !Number.isNaN(Date.parse(v)), `${what} must be a date or date and time (2026-03-31 or 2026-03-31T18:00)`)
    .transform((v) => new Date(v));

const code = z.string().trim().max(64).optional().transform((v) => v || undefined);

// An empty field (the form sent without a date) means now.
export const stockExportQuery = z.object({ asOf: z.preprocess((v) => (v === '' ? undefined : v), instant('as of').optional()), warehouse: code });
export const ledgerExportQuery = z
  .object({ from: instant('from'), to: instant('to'), warehouse: code })
  .refine((q) => q.from < q.to, { message: 'from must be before to', path: ['to'] });
export const productExportQuery = z.object({});
