// The managers' low-stock review and a product's drill-down: alerts, their history, the forecast behind them.
import { z } from 'zod';

const isoTime = z.string();
export const alertKindSchema = z.enum(['low_stock', 'out_of_stock']);
export const alertStatusSchema = z.enum(['open', 'acknowledged', 'resolved']);
export const alertActionSchema = z.enum(['opened', 'kind_changed', 'acknowledged', 'snoozed', 'resolved']);

export const REVIEW_STATUSES = ['active', 'attention', 'acknowledged', 'snoozed', 'at_risk', 'resolved'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];
export const WINDOW_CHOICES = [7, 14, 28, 56, 91] as const;

export const forecastSchema = z.object({
  velocity: z.number(),
  daysOfCover: z.number().nullable(),
  stockoutDate: isoTime.nullable(),
  atRisk: z.boolean(),
  suggestedQty: z.number(),
  // Days between the stock-out and the soonest new stock could arrive; negative: a gap on the shelf.
  slackDays: z.number().nullable(),
});
export type Forecast = z.infer<typeof forecastSchema>;

export const rowStateSchema = z.enum(['open', 'acknowledged', 'snoozed', 'at_risk', 'resolved']);
export type RowState = z.infer<typeof rowStateSchema>;

// How urgent a row is, as a filter: out of stock, runs out before new stock could arrive, or low. A row may be
// both low and at risk of running out within its lead time.
export const REVIEW_URGENCIES = ['out', 'lead_time', 'low'] as const;
export type ReviewUrgency = (typeof REVIEW_URGENCIES)[number];
// A page of the review: enough to work through on a laptop, small enough to render at once.
export const REVIEW_PAGE_SIZE = 50;
export const MAX_REVIEW_PAGE_SIZE = 200;
// The most alerts one bulk acknowledge or snooze may change: past it, narrow the filter.
export const MAX_BULK_ALERTS = 10_000;

// The filter a review, its counts, its CSV and a bulk action share. `q` matches SKU or name.
export type ReviewFilter = { warehouse?: string; status?: ReviewStatus; urgency?: ReviewUrgency; q?: string; windowDays?: number; targetDays?: number; asOf?: Date };
// `after`: the cursor of the last row of the page before (keyset paging, most urgent first).
export type ReviewQuery = ReviewFilter & { after?: string; limit?: number };

export const reviewRowSchema = z.object({
  key: z.string(),
  // Where this row sits in the order: the `after` that starts the page following it.
  cursor: z.string(),
  alertId: z.string().nullable(),
  productId: z.number(),
  sku: z.string(),
  name: z.string(),
  warehouse: z.string(),
  kind: alertKindSchema.nullable(),
  state: rowStateSchema,
  available: z.number(),
  threshold: z.number(),
  thresholdOverridden: z.boolean(),
  reorderQty: z.number(),
  leadTimeDays: z.number(),
  picked: z.number(),
  incoming: z.number(),
  incomingDate: isoTime.nullable(),
  forecast: forecastSchema,
  openedAt: isoTime.nullable(),
  acknowledgedAt: isoTime.nullable(),
  acknowledgedBy: z.string().nullable(),
  snoozedUntil: isoTime.nullable(),
  note: z.string().nullable(),
  resolvedAt: isoTime.nullable(),
  version: z.number().nullable(),
});
export type ReviewRow = z.infer<typeof reviewRowSchema>;

export const reviewSummarySchema = z.object({
  alerts: z.number(),
  out: z.number(),
  low: z.number(),
  atRisk: z.number(),
  acknowledged: z.number(),
  snoozed: z.number(),
  attention: z.number(),
  // Rows projected to run out within their lead time, alerted or not.
  leadTime: z.number(),
  // Rows matching the whole filter, status included: what "all matching" would select.
  total: z.number(),
});
export type ReviewSummary = z.infer<typeof reviewSummarySchema>;

export const alertReviewSchema = z.object({
  asOf: isoTime,
  windowDays: z.number(),
  targetDays: z.number(),
  summary: reviewSummarySchema,
  rows: z.array(reviewRowSchema),
  // The cursor of the next page (pass it as `after`), null on the last page.
  next: z.string().nullable(),
  warehouses: z.array(z.object({ code: z.string(), name: z.string() })),
});
export type AlertReview = z.infer<typeof alertReviewSchema>;

// The counts again, for a live page: `newAbove` is how many alerts opened since the page was read would sort at
// or above its last row (shown as "N new" rather than shifting the list).
export const reviewCountsSchema = z.object({ summary: reviewSummarySchema, newAbove: z.number() });
export type ReviewCounts = z.infer<typeof reviewCountsSchema>;

// A bulk acknowledge or snooze: chosen alerts, or every alert matching a filter; how many it changed.
export const bulkAlertResultSchema = z.object({ matched: z.number(), changed: z.number() });
export type BulkAlertResult = z.infer<typeof bulkAlertResultSchema>;

export const dayPointSchema = z.object({ day: z.string(), available: z.number(), onHand: z.number(), picked: z.number() });
export type DayPoint = z.infer<typeof dayPointSchema>;

export const alertEventItemSchema = z.object({
  action: alertActionSchema,
  kind: alertKindSchema.nullable(),
  available: z.number().nullable(),
  threshold: z.number().nullable(),
  note: z.string().nullable(),
  actor: z.string(),
  at: isoTime,
  snoozedUntil: isoTime.nullable(),
});
export type AlertEventItem = z.infer<typeof alertEventItemSchema>;

export const alertHistoryItemSchema = z.object({
  id: z.string(),
  kind: alertKindSchema,
  status: alertStatusSchema,
  openedAt: isoTime,
  resolvedAt: isoTime.nullable(),
  snoozedUntil: isoTime.nullable(),
  events: z.array(alertEventItemSchema),
});
export type AlertHistoryItem = z.infer<typeof alertHistoryItemSchema>;

export const warehouseDrilldownSchema = z.object({
  code: z.string(),
  name: z.string(),
  threshold: z.number(),
  thresholdOverride: z.number().nullable(),
  reorderQty: z.number(),
  reorderOverride: z.number().nullable(),
  available: z.number(),
  picked: z.number(),
  incoming: z.number(),
  incomingDate: isoTime.nullable(),
  forecast: forecastSchema,
  days: z.array(dayPointSchema),
  alerts: z.array(alertHistoryItemSchema),
});
export type WarehouseDrilldown = z.infer<typeof warehouseDrilldownSchema>;

export const productDrilldownSchema = z.object({
  product: z.object({ id: z.number(), sku: z.string(), name: z.string(), threshold: z.number(), reorderQty: z.number(), leadTimeDays: z.number() }),
  asOf: isoTime,
  windowDays: z.number(),
  targetDays: z.number(),
  warehouses: z.array(warehouseDrilldownSchema),
});
export type ProductDrilldown = z.infer<typeof productDrilldownSchema>;
