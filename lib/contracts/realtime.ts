// The realtime contract, imported by the sidecar (server/realtime) and the browser (components/live) alike,
// so a renamed field breaks the build on both sides instead of silently in production.

import type { StockStatus } from '@/lib/contracts/stock-status';

export type { StockStatus };

// One stock level (product × location) after a committed change; staff rooms `warehouse:<id>` see every one.
export type LevelMessage = {
  productId: number;
  sku: string;
  warehouseId: number;
  locationId: number;
  locationCode: string;
  onHand: number;
  reserved: number;
  available: number;
  version: number;
};

// An alert row after a committed change; only the `alerts` room (managers, admins) sees it.
export type AlertMessage = {
  id: string;
  productId: number;
  sku: string;
  warehouseId: number;
  kind: 'low_stock' | 'out_of_stock';
  status: 'open' | 'acknowledged' | 'resolved';
  available: number;
  threshold: number;
  version: number;
};

// Sent after the sidecar (re)subscribes to the database: whatever a client holds may have missed changes.
export type ResyncMessage = { reason: 'feed_resubscribed'; at: string };

// The public storefront contract: availability only, never bins, ids, costs or users.
// `version` is the sum of the SKU's level versions, so it only grows; `channel` is the channel the figure is for
// (a page may watch one SKU in two channels).
export type AvailabilityMessage = { sku: string; channel: string; available: number; status: StockStatus; version: number };

export type JoinRequest = { rooms: string[] };
export type JoinResult = { joined: string[]; refused: { room: string; reason: 'forbidden' | 'unknown_room' | 'invalid' | 'unavailable' }[] };

export type SubscribeRequest = { skus: string[]; channel?: string };
export type SubscribeResult =
  | { ok: true; items: AvailabilityMessage[]; unknown: string[] }
  | { ok: false; error: 'invalid' | 'unknown_channel' | 'origin_not_allowed' | 'too_many_skus' | 'rate_limited'; message: string };

export interface StaffServerEvents {
  level: (msg: LevelMessage) => void;
  alert: (msg: AlertMessage) => void;
  resync: (msg: ResyncMessage) => void;
}
export interface StaffClientEvents {
  join: (req: JoinRequest, ack: (res: JoinResult) => void) => void;
  leave: (req: JoinRequest, ack?: (res: { left: string[] }) => void) => void;
}
export interface StorefrontServerEvents {
  availability: (msg: AvailabilityMessage) => void;
  resync: (msg: ResyncMessage) => void;
}
export interface StorefrontClientEvents {
  subscribe: (req: SubscribeRequest, ack?: (res: SubscribeResult) => void) => void;
  unsubscribe: (req: SubscribeRequest, ack?: (res: { ok: true }) => void) => void;
}

export const STOREFRONT_NAMESPACE = '/storefront';
export const MAX_SKUS_PER_SUBSCRIBE = 100;

export const rooms = {
  warehouse: (id: number) => `warehouse:${id}`,
  alerts: 'alerts',
  sku: (sku: string) => `sku:${sku}`,
} as const;

export type StaffRoom = { kind: 'warehouse'; warehouseId: number } | { kind: 'alerts' };

export function parseStaffRoom(room: unknown): StaffRoom | null {
  if (room === rooms.alerts) return { kind: 'alerts' };
  const m = typeof room === 'string' ? /^warehouse:([1-9][0-9]{0,9})$/.exec(room) : null;
  return m ? { kind: 'warehouse', warehouseId: Number(m[1]) } : null;
}

// What the app's token route answers a signed-in browser: the socket token, where the sidecar is, and which
// rooms this user may join (warehouse ids by code, so pages that know codes can name their rooms).
export type RealtimeTokenResponse = {
  token: string;
  url: string;
  expiresAt: string;
  warehouses: { id: number; code: string }[];
  alerts: boolean;
};

// How a cached snapshot relates to an incoming message: the next version patches, an older or equal one is
// a duplicate, anything further ahead means a change was missed and the snapshot must be refetched.
// A level missing from a complete snapshot is version 0: its first insert (version 1) is the next one.
export type VersionStep = 'next' | 'stale' | 'gap';

export function versionStep(held: number, incoming: number): VersionStep {
  if (incoming <= held) return 'stale';
  return incoming === held + 1 ? 'next' : 'gap';
}
