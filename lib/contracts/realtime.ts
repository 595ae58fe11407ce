// The realtime protocol's events, rooms and version rule, imported by the sidecar (server/realtime) and the browser
// (components/live) alike, so a renamed field breaks the build on both sides instead of silently in production.
// The messages themselves are zod schemas in realtime-messages.ts; this module stays free of zod for the browser.
import type {
  AlertMessage,
  ApprovalMessage,
  AvailabilityMessage,
  JoinRequest,
  JoinResult,
  LevelMessage,
  PlaceMessage,
  ResyncMessage,
  SubscribeRequest,
  SubscribeResult,
} from './realtime-messages';

export type * from './realtime-messages';
export type { StockStatus } from './stock-status';

export interface StaffServerEvents {
  level: (msg: LevelMessage) => void;
  alert: (msg: AlertMessage) => void;
  place: (msg: PlaceMessage) => void;
  approval: (msg: ApprovalMessage) => void;
  resync: (msg: ResyncMessage) => void;
  // Sent just before the sidecar disconnects a socket whose session ended or whose user was deactivated.
  signed_out: (msg: { reason: 'session_ended' | 'deactivated' }) => void;
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
// A staff socket may be in at most this many rooms (one per warehouse, alerts and approvals).
export const MAX_ROOMS_PER_JOIN = 200;

export const rooms = {
  warehouse: (id: number) => `warehouse:${id}`,
  alerts: 'alerts',
  approvals: 'approvals',
  sku: (sku: string) => `sku:${sku}`,
} as const;

export type StaffRoom = { kind: 'warehouse'; warehouseId: number } | { kind: 'alerts' } | { kind: 'approvals' };

export function parseStaffRoom(room: unknown): StaffRoom | null {
  if (room === rooms.alerts) return { kind: 'alerts' };
  if (room === rooms.approvals) return { kind: 'approvals' };
  const m = typeof room === 'string' ? /^warehouse:([1-9][0-9]{0,9})$/.exec(room) : null;
  return m ? { kind: 'warehouse', warehouseId: Number(m[1]) } : null;
}

// How a cached snapshot relates to an incoming message: the next version patches, an older or equal one is
// a duplicate, anything further ahead means a change was missed and the snapshot must be refetched.
// A level missing from a complete snapshot is version 0: its first insert (version 1) is the next one.
export type VersionStep = 'next' | 'stale' | 'gap';

export function versionStep(held: number, incoming: number): VersionStep {
  if (incoming <= held) return 'stale';
  return incoming === held + 1 ? 'next' : 'gap';
}
