// What the supplier and purchase-order commands share beyond master-data.ts (audit rows, stale versions): one lock
// for supplier uniqueness checks, and a one-row form of the audit write.
import '#server-only';
import { sql } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import type { CommandContext } from '../kernel/clock';
import { recordChanges, type MasterDataEntity } from './master-data';

export { refuseStale } from './master-data';

export async function lockSuppliers(tx: Tx) {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('onhand:suppliers'))`);
}

export function recordChange(tx: Tx, ctx: CommandContext, entity: MasterDataEntity, key: string, action: string, before: object | null, after: object | null) {
  return recordChanges(tx, ctx, entity, [{ key, action, before, after }]);
}
