// What every master-data command (warehouses, bins, suppliers, their terms) shares: the audit row each change writes
// in its own transaction (master_data_changes), and the refusal of a save made on an older version, naming what
// changed since.
import '#server-only';
import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { masterDataChanges } from '@/db/schema';
import { actorRef } from '../kernel/actor';
import type { CommandContext } from '../kernel/clock';
import { InventoryError } from '../kernel/errors';

export type MasterDataEntity = 'warehouse' | 'location' | 'supplier' | 'product_supplier' | 'purchase_order';

export async function recordChanges(
  tx: Tx,
  ctx: CommandContext,
  entity: MasterDataEntity,
  rows: { key: string; action: string; before: object | null; after: object | null }[],
) {
  if (!rows.length) return;
  await tx.insert(masterDataChanges).values(
    rows.map((r) => ({ entity, entityKey: r.key, action: r.action, actor: actorRef(ctx.actor), commandId: ctx.commandId, before: r.before, after: r.after })),
  );
}

// The record as the editor saw it is the `before` of the change that made the version after it: name what changed.
export async function refuseStale<T extends { version: number }>(
  tx: Tx,
  entity: MasterDataEntity,
  key: string,
  label: string,
  now: T,
  version: number,
  editable: readonly (keyof T & string)[],
): Promise<never> {
  const [seenRow] = await tx
    .select({ before: masterDataChanges.before })
    .from(masterDataChanges)
    .where(and(eq(masterDataChanges.entity, entity), eq(masterDataChanges.entityKey, key), sql`${masterDataChanges.before}->>'version' = ${String(version)}`))
    .limit(1);
  const seen = seenRow?.before as Partial<T> | undefined;
  const changes = editable.filter((k) => !seen || JSON.stringify(seen[k]) !== JSON.stringify(now[k])).map((k) => ({ field: k, was: seen?.[k] ?? null, now: now[k] }));
  const fields = Object.fromEntries(changes.map((c) => [c.field, [`changed meanwhile to ${JSON.stringify(c.now)}`]]));
  throw new InventoryError(
    'conflict',
    `${label} was changed by someone else since you opened it (version ${version}, now ${now.version}): ${changes.map((c) => c.field).join(', ') || 'no visible field'}. Review the new values and save again.`,
    { version: now.version, current: now, changes, fields },
  );
}
