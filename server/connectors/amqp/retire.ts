// Retiring the AMQP connector: its persistent replication slot outlives it and would keep WAL forever, so the
// operator drops the slot and its position row (`npm run amqp:retire`). A slot still streaming to a running
// connector is refused unless forced: stop the connector first.
import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { createChangeStream } from './change-stream';
import { topologyNames } from './topology';

export type RetireResult = { slot: string; dropped: boolean; retainedWalBytes: number | null; refused?: string };

export async function retireConnectorSlot(db: Db, opts: { prefix?: string; force?: boolean } = {}): Promise<RetireResult> {
  const { slot } = topologyNames(opts.prefix ?? 'onhand');
  const [row] = await db.execute<{ active_pid: number | null; retained: number | null }>(sql`
    SELECT active_pid, pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::float8 AS retained
    FROM pg_replication_slots WHERE slot_name = ${slot} AND database = current_database()`);
  if (row?.active_pid && !opts.force) {
    return { slot, dropped: false, retainedWalBytes: row.retained, refused: `a connector is still streaming from ${slot} (backend pid ${row.active_pid}): stop it first, or pass --force` };
  }
  // The stream's own drop: ends a session still holding the slot (forced), drops it, forgets the position.
  await createChangeStream({ db, slot, publication: 'onhand_amqp', exchange: '' }).drop();
  return { slot, dropped: row !== undefined, retainedWalBytes: row?.retained ?? null };
}
