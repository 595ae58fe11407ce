// The review's query string, shared by the page, its JSON route and the CSV export. Lenient: a filter that does
// not parse falls back to its default instead of failing the page.
import '#server-only';
import { z } from 'zod';
import { DEFAULT_TARGET_DAYS, DEFAULT_WINDOW_DAYS } from './forecast';
import { warehouseCode } from '../kernel/schemas';
import { REVIEW_STATUSES, type ReviewQuery } from '@/lib/contracts/alerts';

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

export const alertReviewQuery = z
  .object({
    warehouse: z.preprocess((v) => (v === '' ? undefined : v), warehouseCode.optional()).catch(undefined),
    status: z.enum(REVIEW_STATUSES).optional().catch(undefined),
    window: days(365),
    target: days(365),
  })
  .transform((q): ReviewQuery => {
    const d = forecastDefaults();
    return { warehouse: q.warehouse, status: q.status ?? 'active', windowDays: q.window ?? d.windowDays, targetDays: q.target ?? d.targetDays };
  });

export type ReviewParams = { warehouse?: string; status?: string; window?: number; target?: number };

// The query string a review was asked with, for links (export, drill-down) that keep the same view.
export function reviewSearch(q: ReviewQuery): string {
  const d = forecastDefaults();
  const p = new URLSearchParams();
  if (q.warehouse) p.set('warehouse', q.warehouse);
  if (q.status && q.status !== 'active') p.set('status', q.status);
  if (q.windowDays && q.windowDays !== d.windowDays) p.set('window', String(q.windowDays));
  if (q.targetDays && q.targetDays !== d.targetDays) p.set('target', String(q.targetDays));
  return p.size ? `?${p}` : '';
}
