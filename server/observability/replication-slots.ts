// Replication slots of this database and the WAL each keeps. A persistent slot whose consumer is gone (a retired or
// long-stopped AMQP connector) keeps every WAL segment from its position on, until the disk fills: /health says so
// once a slot retains more than SLOT_WAL_WARN_BYTES (default 1 GiB), and `npm run amqp:retire` drops it.
import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';

export type SlotReport = { slot: string; active: boolean; temporary: boolean; retainedWalBytes: number };

export const DEFAULT_SLOT_WAL_WARN_BYTES = 1024 ** 3;

export function slotWarnBytes(value = process.env.SLOT_WAL_WARN_BYTES): number {
  const n = value ? Number(value) : DEFAULT_SLOT_WAL_WARN_BYTES;
  return Number.isFinite(n) && n >= 0 ? n : DEFAULT_SLOT_WAL_WARN_BYTES;
}

export async function replicationSlots(db: Db): Promise<SlotReport[]> {
  const rows = await db.execute<{ slot: string; active: boolean; temporary: boolean; retained: number | null }>(sql`
    SELECT slot_name AS slot, active, temporary, pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::float8 AS retained
    FROM pg_replication_slots WHERE database = current_database() ORDER BY slot_name`);
  return rows.map((r) => ({ slot: r.slot, active: r.active, temporary: r.temporary, retainedWalBytes: r.retained ?? 0 }));
}

// The slots past the threshold, as /health names them among its degraded parts.
export const slotsBehind = (slots: SlotReport[], threshold = slotWarnBytes()) => slots.filter((s) => s.retainedWalBytes > threshold).map((s) => `slot:${s.slot}`);
