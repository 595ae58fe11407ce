// The realtime messages, as zod schemas with their types, shared by the sidecar (server/realtime), the browser
// (components/live, the storefront badge) and the tests, so a renamed field breaks the build on every side.
// The rooms and version rules that screens run in the browser live in realtime.ts, which carries no zod.
import { z } from 'zod';
import { stockStatusSchema } from './stock-status';
import { alertKindSchema, alertStatusSchema } from './alerts';
import { MAX_ROOMS_PER_JOIN, MAX_SKUS_PER_SUBSCRIBE } from './realtime';

// One stock level (product × location) after a committed change; staff rooms `warehouse:<id>` see every one.
export const levelMessageSchema = z.object({
  productId: z.number(),
  sku: z.string(),
  warehouseId: z.number(),
  locationId: z.number(),
  locationCode: z.string(),
  onHand: z.number(),
  reserved: z.number(),
  available: z.number(),
  version: z.number(),
});
export type LevelMessage = z.infer<typeof levelMessageSchema>;

// An alert row after a committed change; only the `alerts` room (managers, admins) sees it.
export const alertMessageSchema = z.object({
  id: z.string(),
  productId: z.number(),
  sku: z.string(),
  warehouseId: z.number(),
  kind: alertKindSchema,
  status: alertStatusSchema,
  available: z.number(),
  threshold: z.number(),
  // What the review shows of who handled it, so a visible row is patched in place rather than read again.
  snoozedUntil: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
  note: z.string().nullable(),
  version: z.number(),
});
export type AlertMessage = z.infer<typeof alertMessageSchema>;

// A warehouse's or bin's master data after a committed change (created, renamed, edited, deactivated): screens that
// list warehouses or bins refetch. `locationId` is null for a warehouse. Bins go to their warehouse's room;
// warehouses to every staff socket (any signed-in user may see the list of warehouses).
export const placeMessageSchema = z.object({
  kind: z.enum(['warehouse', 'location']),
  warehouseId: z.number(),
  locationId: z.number().nullable(),
  code: z.string(),
  active: z.boolean(),
  version: z.number(),
});
export type PlaceMessage = z.infer<typeof placeMessageSchema>;

// A stock change held for a manager (a staff count beyond the tolerance, a large receipt without a PO) was asked for,
// approved or rejected; only the `approvals` room (managers, admins) sees it. It names the request and its state,
// nothing of who asked or why: screens read the queue again, which also keeps the rows in their order.
export const approvalMessageSchema = z.object({
  id: z.number(),
  command: z.enum(['count', 'receive']),
  status: z.enum(['pending', 'approved', 'rejected']),
});
export type ApprovalMessage = z.infer<typeof approvalMessageSchema>;

// Sent after the sidecar (re)subscribes to the database: whatever a client holds may have missed changes.
export const resyncMessageSchema = z.object({ reason: z.literal('feed_resubscribed'), at: z.string() });
export type ResyncMessage = z.infer<typeof resyncMessageSchema>;

// The public storefront contract: availability only, never bins, ids, costs or users.
// `version` is the sum of the SKU's level versions, so it only grows; `channel` is the channel the figure is for
// (a page may watch one SKU in two channels).
export const availabilityMessageSchema = z.object({ sku: z.string(), channel: z.string(), available: z.number(), status: stockStatusSchema, version: z.number() });
export type AvailabilityMessage = z.infer<typeof availabilityMessageSchema>;

export const joinRequestSchema = z.object({ rooms: z.array(z.string().max(64)).max(MAX_ROOMS_PER_JOIN) });
export type JoinRequest = z.input<typeof joinRequestSchema>;
export const joinResultSchema = z.object({
  joined: z.array(z.string()),
  refused: z.array(z.object({ room: z.string(), reason: z.enum(['forbidden', 'unknown_room', 'invalid', 'unavailable', 'too_many_rooms', 'rate_limited']) })),
});
export type JoinResult = z.infer<typeof joinResultSchema>;

export const subscribeRequestSchema = z.object({
  skus: z.array(z.string().trim().min(1).max(200)).min(1).max(MAX_SKUS_PER_SUBSCRIBE),
  channel: z.string().trim().min(1).max(100).optional(),
});
export type SubscribeRequest = z.input<typeof subscribeRequestSchema>;
export const subscribeResultSchema = z.union([
  z.object({ ok: z.literal(true), items: z.array(availabilityMessageSchema), unknown: z.array(z.string()) }),
  z.object({
    ok: z.literal(false),
    error: z.enum(['invalid', 'unknown_channel', 'origin_not_allowed', 'too_many_skus', 'rate_limited']),
    message: z.string(),
  }),
]);
export type SubscribeResult = z.infer<typeof subscribeResultSchema>;

// What the app's token route answers a signed-in browser: the socket token, where the sidecar is, and which
// rooms this user may join (warehouse ids by code, so pages that know codes can name their rooms).
export const realtimeTokenResponseSchema = z.object({
  token: z.string(),
  url: z.string(),
  expiresAt: z.string(),
  warehouses: z.array(z.object({ id: z.number(), code: z.string() })),
  alerts: z.boolean(),
  approvals: z.boolean(),
});
export type RealtimeTokenResponse = z.infer<typeof realtimeTokenResponseSchema>;
