// The Activity page's filters (they live in the URL, so a filtered view can be shared) and what it shows: the stock
// ledger across products, and master-data changes with each change as a field-by-field diff.
import { z } from 'zod';
import type { StockMovement } from '@/db/schema';

// The ledger's kinds (db/schema.ts movement_kind; server/inventory/read/activity.test.ts keeps the two equal).
export const movementKinds = [
  'receipt',
  'adjustment',
  'count',
  'transfer_out',
  'transfer_in',
  'reservation',
  'release',
  'allocation',
  'deallocation',
  'pick',
  'staged',
  'ship',
] as const satisfies readonly StockMovement['kind'][];
export type MovementKind = (typeof movementKinds)[number];

export const ACTIVITY_PAGE_SIZE = 50;
export const activityViews = ['stock', 'changes'] as const;
export type ActivityView = (typeof activityViews)[number];

// A blank field in a GET form arrives as "": it means "any".
const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
// PostgreSQL text cannot hold U+0000: refused here as the user's mistake, not failed in the database.
const text = (max: number) =>
  z.preprocess(blank, z.string().trim().max(max, `at most ${max} characters`).refine((v) => !v.includes('\0'), 'must not contain the NUL character').optional());
const day = z.preprocess(
  blank,
  z
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date (YYYY-MM-DD)')
    .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), 'is not a real date')
    .optional(),
);

// Shared by both views: when (whole UTC days, both ends included), who, and the keyset cursor.
const common = {
  from: day,
  to: day,
  actor: text(200),
  // The last (smallest) id of the previous page: the next page is older than it.
  before: z.preprocess(blank, z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').positive('must be positive').optional()),
};
const fromBeforeTo = (q: { from?: string; to?: string }) => !q.from || !q.to || q.from <= q.to;
const orderMessage = { message: 'must not be after the "to" date', path: ['from'] };

export const stockActivityQuerySchema = z
  .object({
    ...common,
    kind: z.preprocess(blank, z.enum(movementKinds, { error: `must be one of ${movementKinds.join(', ')}` }).optional()),
    sku: text(64),
    // A purchase order, an order's own reference or id, an adjustment's reference, or a command id.
    reference: text(200),
  })
  .refine(fromBeforeTo, orderMessage);
export type StockActivityQuery = z.infer<typeof stockActivityQuerySchema>;

export const changeActivityQuerySchema = z
  .object({
    ...common,
    entity: text(40),
    key: text(200),
    action: text(40),
  })
  .refine(fromBeforeTo, orderMessage);
export type ChangeActivityQuery = z.infer<typeof changeActivityQuerySchema>;

export const stockActivityRowSchema = z.object({
  id: z.number(),
  at: z.string(),
  kind: z.enum(movementKinds),
  sku: z.string(),
  name: z.string(),
  warehouse: z.string(),
  location: z.string(),
  onHandDelta: z.number(),
  reservedDelta: z.number(),
  onHandAfter: z.number(),
  reservedAfter: z.number(),
  reasonCode: z.string().nullable(),
  referenceType: z.string().nullable(),
  referenceId: z.string().nullable(),
  // An order's own reference where the ledger holds its id.
  referenceLabel: z.string().nullable(),
  note: z.string().nullable(),
  actor: z.string(),
  commandId: z.string(),
});
export type StockActivityRow = z.infer<typeof stockActivityRowSchema>;

export const fieldChangeSchema = z.object({ field: z.string(), before: z.unknown(), after: z.unknown() });
export type FieldChange = z.infer<typeof fieldChangeSchema>;

export const changeRowSchema = z.object({
  id: z.number(),
  at: z.string(),
  entity: z.string(),
  key: z.string(),
  action: z.string(),
  actor: z.string(),
  commandId: z.string(),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
});
export type ChangeRow = z.infer<typeof changeRowSchema>;

export type ActivityPage<T> = { items: T[]; nextCursor: string | null };

// The fields a change touched (every field for a create or a delete), the record's version aside: it moves on
// every save and says nothing a reader needs.
export function fieldChanges(before: Record<string, unknown> | null, after: Record<string, unknown> | null): FieldChange[] {
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])].filter((k) => k !== 'version');
  return keys
    .filter((k) => JSON.stringify(before?.[k]) !== JSON.stringify(after?.[k]))
    .map((field) => ({ field, before: before?.[field], after: after?.[field] }));
}

// The URL of a view with the given filters, blank ones left out, so a shared link says only what was chosen.
export function activityHref(view: ActivityView, filters: Record<string, string | number | undefined>, path = '/activity'): string {
  const params = new URLSearchParams(view === 'stock' ? {} : { view });
  for (const [k, v] of Object.entries(filters)) if (v !== undefined && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}
