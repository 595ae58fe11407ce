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

export type ReviewQuery = { warehouse?: string; status?: ReviewStatus; windowDays?: number; targetDays?: number; asOf?: Date };

export const reviewRowSchema = z.object({
  key: z.string(),
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
});
export type ReviewSummary = z.infer<typeof reviewSummarySchema>;

export const alertReviewSchema = z.object({
  asOf: isoTime,
  windowDays: z.number(),
  targetDays: z.number(),
  summary: reviewSummarySchema,
  rows: z.array(reviewRowSchema),
  warehouses: z.array(z.object({ code: z.string(), name: z.string() })),
});
export type AlertReview = z.infer<typeof alertReviewSchema>;

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
