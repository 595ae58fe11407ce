// The review's query string, shared by the page, its JSON routes, the CSV export and the bulk actions. Lenient: a
// filter that does not parse falls back to its default instead of failing the page, and a cursor that does not
// parse starts at the first page.
import '#server-only';
import { z } from 'zod';
import { DEFAULT_TARGET_DAYS, DEFAULT_WINDOW_DAYS } from './forecast';
import { warehouseCode } from '../kernel/schemas';
import { MAX_REVIEW_PAGE_SIZE, REVIEW_PAGE_SIZE, REVIEW_STATUSES, REVIEW_URGENCIES, type ReviewFilter, type ReviewQuery } from '@/lib/contracts/alerts';

// Deployment-wide defaults: ONHAND_FORECAST_WINDOW_DAYS (28) and ONHAND_TARGET_COVER_DAYS (14).
export function forecastDefaults() {
  const num = (v: string | undefined, fallback: number, max: number) => {
    const n = Number(v);
    return Number.isInteger(n) && n >= 1 && n <= max ? n : fallback;
  };
  return {
    windowDays: num(process.env.ONHAND_FORECAST_WINDOW_DAYS, DEFAULT_WINDOW_DAYS, 365),
    targetDays: num(process.env.ONHAND_TARGET_COVER_DAYS, DEFAULT_TARGET_DAYS, 365),
  };
}

const days = (max: number) => z.coerce.number().int().min(1).max(max).optional().catch(undefined);
const blankIsNone = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

// A row's place in the order, and the clock the first page was read at, so every page of one walk sees the same
// window of picks and the same arrival days: [nulls last, slack, gap to threshold, product, warehouse, alert].
export type CursorKey = [boolean, number, number, number, number, string];
export type Cursor = { asOf: string; key: CursorKey };

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.asOf, ...c.key])).toString('base64url');
}

const cursorShape = z.tuple([z.iso.datetime(), z.boolean(), z.number(), z.number().int(), z.number().int(), z.number().int(), z.string().max(36)]);

export function decodeCursor(s: string | undefined): Cursor | undefined {
  if (!s) return undefined;
  try {
    const [asOf, ...key] = cursorShape.parse(JSON.parse(Buffer.from(s, 'base64url').toString('utf8')));
    return { asOf, key: key as CursorKey };
  } catch {
    return undefined;
  }
}

const filterFields = {
  warehouse: z.preprocess(blankIsNone, warehouseCode.optional()).catch(undefined),
  status: z.enum(REVIEW_STATUSES).optional().catch(undefined),
  urgency: z.preprocess(blankIsNone, z.enum(REVIEW_URGENCIES).optional()).catch(undefined),
  q: z.preprocess(blankIsNone, z.string().trim().max(100).optional()).catch(undefined),
  window: days(365),
  target: days(365),
};

function toFilter(q: { warehouse?: string; status?: ReviewFilter['status']; urgency?: ReviewFilter['urgency']; q?: string; window?: number; target?: number }): ReviewFilter {
  const d = forecastDefaults();
  return {
    warehouse: q.warehouse,
    status: q.status ?? 'active',
    urgency: q.urgency,
    q: q.q,
    windowDays: q.window ?? d.windowDays,
    targetDays: q.target ?? d.targetDays,
  };
}

export const alertReviewQuery = z
  .object({
    ...filterFields,
    after: z.string().max(400).optional().catch(undefined),
    limit: z.coerce.number().int().min(1).max(MAX_REVIEW_PAGE_SIZE).optional().catch(undefined),
  })
  .transform((q): ReviewQuery => ({ ...toFilter(q), after: decodeCursor(q.after) ? q.after : undefined, limit: q.limit ?? REVIEW_PAGE_SIZE }));

// The live counts: the filter, the clock the page was read at, and the cursor of its last row.
export const alertCountsQuery = z
  .object({ ...filterFields, since: z.iso.datetime().optional().catch(undefined), upto: z.string().max(400).optional().catch(undefined) })
  .transform((q) => ({ filter: toFilter(q), since: q.since, upto: decodeCursor(q.upto) }));

// The query string a review was asked with, for links (export, drill-down, pages) that keep the same view.
export function reviewSearch(q: ReviewQuery, extra: { after?: string } = {}): string {
  const d = forecastDefaults();
  const p = new URLSearchParams();
  if (q.warehouse) p.set('warehouse', q.warehouse);
  if (q.status && q.status !== 'active') p.set('status', q.status);
  if (q.urgency) p.set('urgency', q.urgency);
  if (q.q) p.set('q', q.q);
  if (q.windowDays && q.windowDays !== d.windowDays) p.set('window', String(q.windowDays));
  if (q.targetDays && q.targetDays !== d.targetDays) p.set('target', String(q.targetDays));
  if (extra.after) p.set('after', extra.after);
  return p.size ? `?${p}` : '';
}
