// Warehouses as master data: create, rename, deactivate (and reactivate). Each change is one transaction with its
// audit row (master_data_changes, entity 'warehouse', keyed by code). A code is kept as typed (trimmed) and never
// changes; no two codes may differ by letter case alone. A warehouse is deactivated, never deleted: only while none
// of its bins holds stock or open holds, and its history stays.
import '#server-only';
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '@/db/client';
import { locations, warehouses, type Warehouse } from '@/db/schema';
import type { WarehouseMaster } from '@/lib/contracts/locations';
import type { CommandContext } from '../kernel/clock';
import { runCommand, type CommandOptions } from '../kernel/command';
import { InventoryError, invalidInput, notFound } from '../kernel/errors';
import { warehouseCode } from '../kernel/schemas';
import { describeHeld, heldStock, lockPlaces, recordChanges, refuseStale } from './place-records';

export const warehouseName = z.string({ error: 'name is required' }).trim().min(1, 'name is required').max(200, 'name is at most 200 characters');
const version = z.number({ error: 'version must be a number' }).int().positive().optional();

export const saveWarehouseInput = z.object({
  code: warehouseCode,
  name: warehouseName.optional(),
  active: z.boolean({ error: 'active must be true or false' }).optional(),
  version,
  mode: z.enum(['create', 'update', 'upsert']).default('upsert'),
});
export type SaveWarehouseInput = z.input<typeof saveWarehouseInput>;
export type SaveWarehouseResult = WarehouseMaster & { created: boolean; changed: boolean };

const EDITABLE = ['name', 'active'] as const;

export const toWarehouseMaster = (w: Warehouse): WarehouseMaster => ({ code: w.code, name: w.name, active: w.active, version: w.version });

export function saveWarehouse(db: Db, input: SaveWarehouseInput, opts: CommandOptions): Promise<SaveWarehouseResult> {
  return runCommand(db, { name: 'saveWarehouse', schema: saveWarehouseInput }, input, opts, async (tx, i, ctx) => {
    await lockPlaces(tx);
    const [current] = await tx.select().from(warehouses).where(eq(warehouses.code, i.code)).for('update');
    if (!current) {
      if (i.mode === 'update') throw notFound('warehouse', i.code);
      if (i.name === undefined) throw invalidInput({ name: ['name is required'] });
      await refuseCaseTwin(tx, i.code);
      const [row] = await tx.insert(warehouses).values({ code: i.code, name: i.name, active: i.active ?? true }).returning();
      await recordChanges(tx, ctx, 'warehouse', [{ key: row.code, action: 'create', before: null, after: toWarehouseMaster(row) }]);
      return { ...toWarehouseMaster(row), created: true, changed: true };
    }
    if (i.mode === 'create') {
      throw new InventoryError('conflict', `A warehouse with code ${i.code} already exists.`, { warehouse: i.code, fields: { code: ['this code is already in use'] } });
    }
    return update(tx, ctx, current, { name: i.name ?? current.name, active: i.active ?? current.active }, i.version);
  });
}

async function update(tx: Tx, ctx: CommandContext, current: Warehouse, next: Pick<WarehouseMaster, 'name' | 'active'>, seen: number | undefined): Promise<SaveWarehouseResult> {
  const now = toWarehouseMaster(current);
  if (seen !== undefined && seen !== current.version) await refuseStale(tx, 'warehouse', current.code, `Warehouse ${current.code}`, now, seen, EDITABLE);
  if (!EDITABLE.some((k) => next[k] !== current[k])) return { ...now, created: false, changed: false };
  if (current.active && !next.active) await refuseDeactivateWithStock(tx, current);
  const [row] = await tx
    .update(warehouses)
    .set({ ...next, version: sql`${warehouses.version} + 1` })
    .where(eq(warehouses.id, current.id))
    .returning();
  const action = current.active === next.active ? 'update' : next.active ? 'reactivate' : 'deactivate';
  await recordChanges(tx, ctx, 'warehouse', [{ key: row.code, action, before: now, after: toWarehouseMaster(row) }]);
  return { ...toWarehouseMaster(row), created: false, changed: true };
}

async function refuseCaseTwin(tx: Tx, code: string) {
  const [twin] = await tx.select({ code: warehouses.code }).from(warehouses).where(sql`lower(${warehouses.code}) = lower(${code})`);
  if (twin) {
    throw new InventoryError('conflict', `Warehouse code ${code} differs from the existing ${twin.code} only in letter case.`, {
      warehouse: code,
      existing: twin.code,
      fields: { code: [`differs from the existing code ${twin.code} only in letter case`] },
    });
  }
}

// The warehouse row is locked (FOR UPDATE) above, and every command that puts stock into a bin reads its warehouse
// FOR SHARE: a receipt either commits before this check sees it, or waits and then finds the warehouse inactive.
async function refuseDeactivateWithStock(tx: Tx, w: Warehouse) {
  const bins = await tx.select({ id: locations.id }).from(locations).where(eq(locations.warehouseId, w.id));
  const held = await heldStock(tx, bins.map((b) => b.id));
  if (!held.length) return;
  const message = `Warehouse ${w.code} still holds stock: ${describeHeld(held, true)}. Move, adjust or release it before deactivating.`;
  throw new InventoryError('invalid_state', message, { warehouse: w.code, held, fields: { active: [message] } });
}
