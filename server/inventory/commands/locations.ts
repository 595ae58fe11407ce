// Bins (locations) as master data: create one, create many by pattern, edit kind, sellable flag and pick order,
// deactivate (and reactivate). Each change is one transaction with its audit rows (master_data_changes, entity
// 'location', keyed `<warehouse>:<code>`; a warehouse code never holds a colon). Codes are kept as typed (trimmed);
// within a warehouse no two may differ by letter case alone. A bin is deactivated, never deleted: only while it
// holds no stock and no open holds.
import '#server-only';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Executor, Tx } from '@/db/client';
import { locations, stockLevels, warehouses, type Location, type Warehouse } from '@/db/schema';
import { expandPattern, MAX_PATTERN_SEGMENTS } from '@/lib/bin-pattern';
import { locationKindSchema, type Bin, type BinPatternPreview } from '@/lib/contracts/locations';
import type { CommandContext } from '../kernel/clock';
import { runCommand, type CommandOptions } from '../kernel/command';
import { InventoryError, invalidInput, notFound } from '../kernel/errors';
import { locationCode, warehouseCode } from '../kernel/schemas';
import { rejudge } from './thresholds';
import { describeHeld, heldStock, lockPlaces, recordChanges, refuseStale } from './place-records';

export const MAX_PICK_ORDER = 1_000_000;
export const binFields = {
  kind: locationKindSchema,
  sellable: z.boolean({ error: 'sellable must be true or false' }),
  pickOrder: z
    .number({ error: 'pick order must be a number' })
    .int('pick order must be a whole number')
    .min(0, 'pick order cannot be negative')
    .max(MAX_PICK_ORDER, `pick order is at most ${MAX_PICK_ORDER.toLocaleString('en')}`),
  active: z.boolean({ error: 'active must be true or false' }),
};

// Omitted fields keep their value on an update; on a create the kind is required, sellable follows the kind (pick
// and storage bins are sellable) and the bin goes to the end of the pick path.
export const saveLocationInput = z.object({
  warehouse: warehouseCode,
  code: locationCode,
  kind: binFields.kind.optional(),
  sellable: binFields.sellable.optional(),
  pickOrder: binFields.pickOrder.optional(),
  active: binFields.active.optional(),
  version: z.number({ error: 'version must be a number' }).int().positive().optional(),
  mode: z.enum(['create', 'update', 'upsert']).default('upsert'),
});
export type SaveLocationInput = z.input<typeof saveLocationInput>;
export type SaveLocationResult = Bin & { created: boolean; changed: boolean };

export const binPatternInput = z.object({
  warehouse: warehouseCode,
  segments: z.array(z.string().max(200), { error: 'give the segments' }).min(1, 'give at least one segment').max(MAX_PATTERN_SEGMENTS),
  separator: z.string().max(1, 'the separator is one character or none'),
});
export const createBinsInput = binPatternInput.extend({ kind: binFields.kind, sellable: binFields.sellable.optional() });
export type CreateBinsInput = z.input<typeof createBinsInput>;
export type CreateBinsResult = { warehouse: string; created: string[] };

const EDITABLE = ['kind', 'sellable', 'pickOrder', 'active'] as const;
type Values = Pick<Bin, (typeof EDITABLE)[number]>;

const defaultSellable = (kind: Bin['kind']) => kind === 'pick' || kind === 'storage';
export const binKey = (warehouse: string, code: string) => `${warehouse}:${code}`;
export const toBin = (warehouse: string, l: Location): Bin => ({
  warehouse,
  code: l.code,
  kind: l.kind,
  sellable: l.sellable,
  pickOrder: l.pickOrder,
  active: l.active,
  version: l.version,
});

export function saveLocation(db: Db, input: SaveLocationInput, opts: CommandOptions): Promise<SaveLocationResult> {
  return runCommand(db, { name: 'saveLocation', schema: saveLocationInput }, input, opts, saveLocationIn);
}

// The save itself, inside a command that is already running: an import saves a whole file in one transaction.
export async function saveLocationIn(tx: Tx, i: z.output<typeof saveLocationInput>, ctx: CommandContext): Promise<SaveLocationResult> {
  await lockPlaces(tx);
  const wh = await warehouseRow(tx, i.warehouse);
  const [current] = await tx
    .select()
    .from(locations)
    .where(and(eq(locations.warehouseId, wh.id), eq(locations.code, i.code)))
    .for('update');
  if (!current) {
    if (i.mode === 'update') throw new InventoryError('not_found', `Warehouse ${wh.code} has no location ${i.code}.`, { warehouse: wh.code, location: i.code });
    if (i.kind === undefined) throw invalidInput({ kind: ['kind is required for a new bin'] });
    await refuseInactiveWarehouse(wh);
    const clashes = await clashesWith(tx, wh.id, [i.code]);
    if (clashes.length) throw clashError(wh.code, clashes, 'code');
    const pickOrder = i.pickOrder ?? (await nextPickOrder(tx, wh.id));
    const [row] = await tx
      .insert(locations)
      .values({ warehouseId: wh.id, code: i.code, kind: i.kind, sellable: i.sellable ?? defaultSellable(i.kind), pickOrder, active: i.active ?? true })
      .returning();
    await recordChanges(tx, ctx, 'location', [{ key: binKey(wh.code, row.code), action: 'create', before: null, after: toBin(wh.code, row) }]);
    return { ...toBin(wh.code, row), created: true, changed: true };
  }
  if (i.mode === 'create') throw clashError(wh.code, [current.code], 'code');
  const next: Values = {
    kind: i.kind ?? current.kind,
    sellable: i.sellable ?? current.sellable,
    pickOrder: i.pickOrder ?? current.pickOrder,
    active: i.active ?? current.active,
  };
  return update(tx, ctx, wh, current, next, i.version);
}

// What a pattern would create, and which of its codes the warehouse already has; writes nothing.
export async function previewBinPattern(db: Executor, input: z.input<typeof binPatternInput>): Promise<BinPatternPreview> {
  const parsed = binPatternInput.safeParse(input);
  if (!parsed.success) return { error: 'Check the pattern.', fields: Object.fromEntries(parsed.error.issues.map((e) => [e.path.join('.') || '_', [e.message]])) };
  const expanded = expandPattern(parsed.data);
  if (!expanded.ok) return { error: 'Check the pattern.', fields: expanded.fields };
  const [wh] = await db.select().from(warehouses).where(eq(warehouses.code, parsed.data.warehouse));
  if (!wh) return { error: `No warehouse matches ${JSON.stringify(parsed.data.warehouse)}.`, fields: { warehouse: ['no such warehouse'] } };
  return { codes: expanded.codes, clashes: await clashesWith(db, wh.id, expanded.codes) };
}

// All or nothing: a pattern any of whose codes the warehouse already has (in any letter case) creates no bin.
export function createBinsByPattern(db: Db, input: CreateBinsInput, opts: CommandOptions): Promise<CreateBinsResult> {
  return runCommand(db, { name: 'createBinsByPattern', schema: createBinsInput }, input, opts, async (tx, i, ctx) => {
    const expanded = expandPattern(i);
    if (!expanded.ok) throw invalidInput(expanded.fields);
    await lockPlaces(tx);
    const wh = await warehouseRow(tx, i.warehouse);
    await refuseInactiveWarehouse(wh);
    const clashes = await clashesWith(tx, wh.id, expanded.codes);
    if (clashes.length) throw clashError(wh.code, clashes, 'segments');
    const first = await nextPickOrder(tx, wh.id);
    const sellable = i.sellable ?? defaultSellable(i.kind);
    const rows = await tx
      .insert(locations)
      .values(expanded.codes.map((code, n) => ({ warehouseId: wh.id, code, kind: i.kind, sellable, pickOrder: Math.min(first + n, MAX_PICK_ORDER) })))
      .returning();
    await recordChanges(tx, ctx, 'location', rows.map((r) => ({ key: binKey(wh.code, r.code), action: 'create', before: null, after: toBin(wh.code, r) })));
    return { warehouse: wh.code, created: rows.map((r) => r.code) };
  });
}

async function update(tx: Tx, ctx: CommandContext, wh: Warehouse, current: Location, next: Values, seen: number | undefined): Promise<SaveLocationResult> {
  const now = toBin(wh.code, current);
  const key = binKey(wh.code, current.code);
  if (seen !== undefined && seen !== current.version) await refuseStale(tx, 'location', key, `Bin ${current.code}`, now, seen, EDITABLE);
  const changed = EDITABLE.filter((k) => next[k] !== current[k]);
  if (!changed.length) return { ...now, created: false, changed: false };
  if (current.active && !next.active) await refuseDeactivateWithStock(tx, wh, current);
  if (!current.active && next.active) await refuseInactiveWarehouse(wh);
  const [row] = await tx
    .update(locations)
    .set({ ...next, version: sql`${locations.version} + 1` })
    .where(eq(locations.id, current.id))
    .returning();
  const action = current.active === next.active ? 'update' : next.active ? 'reactivate' : 'deactivate';
  await recordChanges(tx, ctx, 'location', [{ key, action, before: now, after: toBin(wh.code, row) }]);
  // Kind and flag decide whether this bin's stock is available: its products' alerts follow in the same transaction.
  if (changed.includes('kind') || changed.includes('sellable')) {
    const held = await tx.select({ productId: stockLevels.productId }).from(stockLevels).where(eq(stockLevels.locationId, row.id));
    if (held.length) await rejudge(tx, held.map((h) => h.productId), ctx);
  }
  return { ...toBin(wh.code, row), created: false, changed: true };
}

async function warehouseRow(tx: Tx, code: string): Promise<Warehouse> {
  const [wh] = await tx.select().from(warehouses).where(eq(warehouses.code, code));
  if (!wh) throw notFound('warehouse', code);
  return wh;
}

async function refuseInactiveWarehouse(wh: Warehouse) {
  if (wh.active) return;
  throw new InventoryError('invalid_state', `Warehouse ${wh.code} is deactivated: reactivate it before adding or reactivating bins.`, {
    warehouse: wh.code,
    fields: { warehouse: ['this warehouse is deactivated'] },
  });
}

// Codes of `codes` the warehouse already has, compared without letter case (as the existing codes are written).
async function clashesWith(db: Executor, warehouseId: number, codes: string[]): Promise<string[]> {
  if (!codes.length) return [];
  const lowered = [...new Set(codes.map((c) => c.toLowerCase()))];
  const rows = await db
    .select({ code: locations.code })
    .from(locations)
    .where(and(eq(locations.warehouseId, warehouseId), inArray(sql`lower(${locations.code})`, lowered)))
    .orderBy(locations.code);
  return rows.map((r) => r.code);
}

function clashError(warehouse: string, clashes: string[], field: string) {
  const shown = clashes.slice(0, 20).join(', ') + (clashes.length > 20 ? ` and ${clashes.length - 20} more` : '');
  const one = clashes.length === 1;
  return new InventoryError(
    'conflict',
    `Warehouse ${warehouse} already has ${one ? 'bin' : `${clashes.length} of these bins`} ${shown}${field === 'segments' ? ': no bin was created' : ''}.`,
    { warehouse, clashes, fields: { [field]: [one ? `${clashes[0]} already exists (codes differing only in letter case count as the same)` : `${shown} already exist`] } },
  );
}

async function nextPickOrder(tx: Tx, warehouseId: number): Promise<number> {
  const [r] = await tx.select({ max: sql<number>`coalesce(max(${locations.pickOrder}), 0)::int` }).from(locations).where(eq(locations.warehouseId, warehouseId));
  return Math.min(r.max + 1, MAX_PICK_ORDER);
}

// The bin row is locked (FOR UPDATE) by the caller, and every command that puts stock into a bin reads it FOR SHARE:
// a receipt either commits before this check sees it, or waits and then finds the bin inactive.
async function refuseDeactivateWithStock(tx: Tx, wh: Warehouse, l: Location) {
  const held = await heldStock(tx, [l.id]);
  if (!held.length) return;
  const message = `${l.code} still holds ${describeHeld(held, false)}: move, adjust or release it before deactivating.`;
  throw new InventoryError('invalid_state', message, { warehouse: wh.code, location: l.code, held, fields: { active: [message] } });
}
