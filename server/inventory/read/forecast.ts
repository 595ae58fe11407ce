import '#server-only';
import type { Forecast } from '@/lib/contracts/alerts';
// Days of cover and the reorder suggestion for one product in one warehouse, from its pick velocity.
// Pure arithmetic, so the page, the CSV and the tests all get the same figures from the same inputs.
//   velocity      = units picked in the window / window days
//   days of cover = available / velocity (0 when nothing is available; none without picks)
//   stock-out     = as-of + days of cover, as a UTC date
//   at risk       = available + incoming lasts less than the lead time: an order placed today arrives too late
//   suggested     = ceil(velocity x (lead time + target days)) - available - incoming, at least 0; with no picks in
//                   the window, the product's reorder quantity minus incoming, once it is at or under its threshold
export const DEFAULT_WINDOW_DAYS = 28;
export const DEFAULT_TARGET_DAYS = 14;
const DAY_MS = 86_400_000;

export type ForecastInput = {
  available: number;
  threshold: number;
  picked: number;
  windowDays: number;
  leadTimeDays: number;
  targetDays: number;
  incoming: number;
  reorderQty: number;
  asOf: Date;
};

export function forecast(f: ForecastInput, nextArrivalDays: number | null = null): Forecast {
  const velocity = f.windowDays > 0 ? f.picked / f.windowDays : 0;
  const available = Math.max(f.available, 0);
  const daysOfCover = available === 0 ? 0 : velocity > 0 ? available / velocity : null;
  const stockoutDate = daysOfCover === null ? null : isoDate(new Date(f.asOf.getTime() + daysOfCover * DAY_MS));
  // Integer form of (available + incoming) / velocity < lead time: no rounding at the edge.
  const atRisk = f.picked > 0 && (available + f.incoming) * f.windowDays < f.picked * f.leadTimeDays;
  const suggestedQty =
    velocity > 0
      ? Math.max(Math.ceil((f.picked * (f.leadTimeDays + f.targetDays)) / f.windowDays) - available - f.incoming, 0)
      : available <= f.threshold
        ? Math.max(f.reorderQty - f.incoming, 0)
        : 0;
  // New stock comes with the next open purchase order if one is due, else with an order placed today.
  const arrival = nextArrivalDays ?? f.leadTimeDays;
  const slackDays = daysOfCover === null ? null : daysOfCover - arrival;
  return { velocity, daysOfCover, stockoutDate, atRisk, suggestedQty, slackDays };
}

// Most urgent first: the biggest gap between running out and new stock arriving; then the emptiest shelf.
export function byUrgency<T extends { forecast: Forecast; available: number; threshold: number }>(a: T, b: T): number {
  const sa = a.forecast.slackDays;
  const sb = b.forecast.slackDays;
  if (sa !== sb) {
    if (sa === null) return 1;
    if (sb === null) return -1;
    return sa - sb;
  }
  return a.available - a.threshold - (b.available - b.threshold);
}

export const isoDate = (d: Date) => d.toISOString().slice(0, 10);

// Whole days from as-of to a date (YYYY-MM-DD, midnight UTC); a date already past counts as now.
export function daysUntil(date: string | null, asOf: Date): number | null {
  if (!date) return null;
  return Math.max((Date.parse(`${date}T00:00:00Z`) - asOf.getTime()) / DAY_MS, 0);
}
