// The catalogue: create, edit and archive products. Each change is one transaction that also writes its audit
// row (master_data_changes: who, when, before and after). SKUs follow the rule every lookup already uses: trimmed,
// then matched exactly (case-sensitive); a new SKU that differs from an existing one only in letter case is refused,
// so no two products can be told apart by case alone. Barcodes are GTINs, normalised to 14 digits, unique across
// products (archived ones included: their history still names them).
import '#server-only';
import { and, eq, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '@/db/client';
import { masterDataChanges, products, reservations, stockLevels, type Product } from '@/db/schema';
import { barcode, MAX_BARCODES, type CatalogProduct } from '@/lib/contracts/catalog';
import { actorRef } from '../kernel/actor';
import type { CommandContext } from '../kernel/clock';
import { runCommand, type CommandOptions } from '../kernel/command';
import { InventoryError, invalidInput, notFound } from '../kernel/errors';
import { sku } from '../kernel/schemas';
import { rejudge } from './thresholds';

const MAX_SETTING = 1_000_000;
const setting = (what: string, max = MAX_SETTING, unit = '') =>
  z
    .number({ error: `${what} must be a number` })
    .int(`${what} must be a whole number`)
    .min(0, `${what} cannot be negative`)
    .max(max, `${what} is at most ${max.toLocaleString('en')}${unit}`);

export const productFields = {
  name: z.string({ error: 'name is required' }).trim().min(1, 'name is required').max(200, 'name is at most 200 characters'),
  barcodes: z.array(barcode).max(MAX_BARCODES, `at most ${MAX_BARCODES} barcodes`),
  unit: z.string({ error: 'unit must be text' }).trim().min(1, 'unit is required').max(32, 'unit is at most 32 characters'),
  lowStockThreshold: setting('low-stock threshold'),
  leadTimeDays: setting('lead time', 365, ' days'),
  active: z.boolean({ error: 'active must be true or false' }),
};

// Omitted fields keep their value on an update and take the defaults on a create (a name is then required).
// `version`, when given, is the version the change was made on: a save on an older one is refused (409 conflict).
export const saveProductInput = z.object({
  sku,
  name: productFields.name.optional(),
  barcodes: productFields.barcodes.optional(),
  unit: productFields.unit.optional(),
  lowStockThreshold: productFields.lowStockThreshold.optional(),
  leadTimeDays: productFields.leadTimeDays.optional(),
  active: productFields.active.optional(),
  version: z.number({ error: 'version must be a number' }).int().positive().optional(),
  // create: refused if the SKU exists; update: refused if it does not; upsert (the API's PUT): either.
  mode: z.enum(['create', 'update', 'upsert']).default('upsert'),
});
export type SaveProductInput = z.input<typeof saveProductInput>;
export type SaveProductResult = CatalogProduct & { created: boolean; changed: boolean };

export const archiveProductInput = z.object({ sku, version: z.number().int().positive().optional() });
export const addBarcodeInput = z.object({ sku, barcode });

export function toCatalogProduct(p: Product): CatalogProduct {
  return {
    sku: p.sku,
    name: p.name,
    barcodes: p.barcodes,
    unit: p.unit,
    lowStockThreshold: p.lowStockThreshold,
    leadTimeDays: p.leadTimeDays,
    active: p.active,
    version: p.version,
  };
}

const EDITABLE = ['name', 'barcodes', 'unit', 'lowStockThreshold', 'leadTimeDays', 'active'] as const;
type Editable = (typeof EDITABLE)[number];
type Values = Pick<CatalogProduct, Editable>;

export function saveProduct(db: Db, input: SaveProductInput, opts: CommandOptions): Promise<SaveProductResult> {
  return runCommand(db, { name: 'saveProduct', schema: saveProductInput }, input, opts, saveProductIn);
}

// The save itself, inside a command that is already running: an import saves a whole file in one transaction.
// `batchChecked`: the caller holds the catalogue lock and has checked SKU case and barcode uniqueness for its whole
// batch at once (the import, where one query per row over a growing table made 100,000 rows quadratic).
export async function saveProductIn(
  tx: Tx,
  i: z.output<typeof saveProductInput>,
  ctx: CommandContext,
  batchChecked = false,
): Promise<SaveProductResult> {
  if (!batchChecked) await lockCatalogue(tx);
  const current = await productRow(tx, i.sku);
  if (!current) {
    if (i.mode === 'update') throw notFound('sku', i.sku);
    if (i.name === undefined) throw invalidInput({ name: ['name is required'] });
    if (!batchChecked) await refuseCaseTwin(tx, i.sku);
    const values: Values = {
      name: i.name,
      barcodes: dedupe(i.barcodes ?? []),
      unit: i.unit ?? 'each',
      lowStockThreshold: i.lowStockThreshold ?? 0,
      leadTimeDays: i.leadTimeDays ?? 7,
      active: i.active ?? true,
    };
    if (!batchChecked) await refuseTakenBarcodes(tx, values.barcodes, null);
    const [row] = await tx.insert(products).values({ sku: i.sku, ...values }).returning();
    await record(tx, ctx, 'create', null, row);
    return { ...toCatalogProduct(row), created: true, changed: true };
  }
  if (i.mode === 'create') {
    throw new InventoryError('conflict', `A product with SKU ${i.sku} already exists.`, { sku: i.sku, fields: { sku: ['this SKU is already in use'] } });
  }
  const next: Values = {
    name: i.name ?? current.name,
    barcodes: i.barcodes ? dedupe(i.barcodes) : current.barcodes,
    unit: i.unit ?? current.unit,
    lowStockThreshold: i.lowStockThreshold ?? current.lowStockThreshold,
    leadTimeDays: i.leadTimeDays ?? current.leadTimeDays,
    active: i.active ?? current.active,
  };
  return update(tx, ctx, current, next, i.version, 'barcodes', batchChecked);
}

// Archiving again answers the archived product again; a product with stock or holds is refused with the figures.
export function archiveProduct(db: Db, input: z.input<typeof archiveProductInput>, opts: CommandOptions): Promise<SaveProductResult> {
  return runCommand(db, { name: 'archiveProduct', schema: archiveProductInput }, input, opts, async (tx, i, ctx) => {
    await lockCatalogue(tx);
    const current = await productRow(tx, i.sku);
    if (!current) throw notFound('sku', i.sku);
    return update(tx, ctx, current, { ...toCatalogProduct(current), active: false }, i.version);
  });
}

// A code scanned on the product's page: adding is safe whatever changed since, so it takes no version.
export function addBarcode(db: Db, input: z.input<typeof addBarcodeInput>, opts: CommandOptions): Promise<SaveProductResult> {
  return runCommand(db, { name: 'addBarcode', schema: addBarcodeInput }, input, opts, async (tx, i, ctx) => {
    await lockCatalogue(tx);
    const current = await productRow(tx, i.sku);
    if (!current) throw notFound('sku', i.sku);
    const next = { ...toCatalogProduct(current), barcodes: dedupe([...current.barcodes, i.barcode]) };
    return update(tx, ctx, current, next, undefined, 'barcode');
  });
}

async function update(
  tx: Tx,
  ctx: CommandContext,
  current: Product,
  next: Values,
  version: number | undefined,
  barcodeField = 'barcodes',
  batchChecked = false,
): Promise<SaveProductResult> {
  if (version !== undefined && version !== current.version) await refuseStale(tx, current, version);
  const changed = EDITABLE.filter((k) => JSON.stringify(next[k]) !== JSON.stringify(current[k]));
  if (!changed.length) return { ...toCatalogProduct(current), created: false, changed: false };
  if (changed.includes('barcodes') && !batchChecked) await refuseTakenBarcodes(tx, next.barcodes, current.id, barcodeField);
  if (current.active && !next.active) await refuseArchiveWithStock(tx, current);
  const [row] = await tx
    .update(products)
    .set({ ...next, version: sql`${products.version} + 1` })
    .where(eq(products.id, current.id))
    .returning();
  // Archiving or restoring is named as such, whatever else the same save changed.
  await record(tx, ctx, current.active === next.active ? 'update' : next.active ? 'restore' : 'archive', current, row);
  if (changed.includes('lowStockThreshold') || changed.includes('active')) await rejudge(tx, [row.id], ctx);
  return { ...toCatalogProduct(row), created: false, changed: true };
}

// Master-data writes are rare and short: one lock makes the uniqueness checks below (SKU case, barcodes across
// products) exact under concurrency without a unique index over an array.
export async function lockCatalogue(tx: Tx) {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('onhand:catalogue'))`);
}

async function productRow(tx: Tx, skuValue: string): Promise<Product | undefined> {
  const [row] = await tx.select().from(products).where(eq(products.sku, skuValue)).for('update');
  return row;
}

async function refuseCaseTwin(tx: Tx, skuValue: string) {
  const [twin] = await tx.select({ sku: products.sku }).from(products).where(sql`lower(${products.sku}) = lower(${skuValue})`);
  if (twin) {
    throw new InventoryError('conflict', `SKU ${skuValue} differs from the existing ${twin.sku} only in letter case.`, {
      sku: skuValue,
      existing: twin.sku,
      fields: { sku: [`differs from the existing SKU ${twin.sku} only in letter case`] },
    });
  }
}

async function refuseTakenBarcodes(tx: Tx, codes: string[], selfId: number | null, field = 'barcodes') {
  if (!codes.length) return;
  const others = await tx
    .select({ sku: products.sku, barcodes: products.barcodes })
    .from(products)
    .where(and(sql`${products.barcodes} && ${sql`ARRAY[${sql.join(codes.map((c) => sql`${c}`), sql`, `)}]::text[]`}`, selfId === null ? undefined : ne(products.id, selfId)));
  if (!others.length) return;
  const fields: Record<string, string[]> = {};
  const taken: { barcode: string; sku: string }[] = [];
  codes.forEach((code, n) => {
    const owner = others.find((o) => o.barcodes.includes(code));
    if (!owner) return;
    taken.push({ barcode: code, sku: owner.sku });
    (fields[field === 'barcodes' ? `barcodes.${n}` : field] ??= []).push(`${code} already belongs to ${owner.sku}`);
  });
  throw new InventoryError('conflict', `Barcode ${taken.map((t) => `${t.barcode} already belongs to ${t.sku}`).join('; ')}.`, { taken, fields });
}

async function refuseArchiveWithStock(tx: Tx, p: Product) {
  const [levels] = await tx
    .select({ onHand: sql<number>`coalesce(sum(${stockLevels.onHand}), 0)::int`, reserved: sql<number>`coalesce(sum(${stockLevels.reserved}), 0)::int` })
    .from(stockLevels)
    .where(eq(stockLevels.productId, p.id));
  const holds = await tx.$count(reservations, and(eq(reservations.productId, p.id), eq(reservations.status, 'active')));
  if (levels.onHand === 0 && levels.reserved === 0 && holds === 0) return;
  const message = `${p.sku} still has ${levels.onHand} on hand and ${holds} open hold${holds === 1 ? '' : 's'} (${levels.reserved} units reserved): move, adjust or release them before archiving.`;
  throw new InventoryError('invalid_state', message, { sku: p.sku, onHand: levels.onHand, reserved: levels.reserved, holds, fields: { active: [message] } });
}

// The product as the editor saw it is the `before` of the change that made the version after it.
async function refuseStale(tx: Tx, current: Product, version: number): Promise<never> {
  const [seenRow] = await tx
    .select({ before: masterDataChanges.before })
    .from(masterDataChanges)
    .where(and(eq(masterDataChanges.entity, 'product'), eq(masterDataChanges.entityKey, current.sku), sql`${masterDataChanges.before}->>'version' = ${String(version)}`))
    .limit(1);
  const seen = seenRow?.before as Partial<CatalogProduct> | undefined;
  const now = toCatalogProduct(current);
  const changes = EDITABLE.filter((k) => !seen || JSON.stringify(seen[k]) !== JSON.stringify(now[k])).map((k) => ({ field: k, was: seen?.[k] ?? null, now: now[k] }));
  const fields = Object.fromEntries(changes.map((c) => [c.field, [`changed meanwhile to ${JSON.stringify(c.now)}`]]));
  throw new InventoryError(
    'conflict',
    `${current.sku} was changed by someone else since you opened it (version ${version}, now ${current.version}): ${changes.map((c) => c.field).join(', ') || 'no visible field'}. Review the new values and save again.`,
    { sku: current.sku, version: current.version, current: now, changes, fields },
  );
}

async function record(tx: Tx, ctx: CommandContext, action: string, before: Product | null, after: Product) {
  await tx.insert(masterDataChanges).values({
    entity: 'product',
    entityKey: after.sku,
    action,
    actor: actorRef(ctx.actor),
    commandId: ctx.commandId,
    before: before && toCatalogProduct(before),
    after: toCatalogProduct(after),
  });
}

const dedupe = (codes: string[]) => [...new Set(codes)];
