// The catalogue: create, edit and archive products. Each change is one transaction that also writes its audit
// row (master_data_changes: who, when, before and after). SKUs follow the rule every lookup already uses: trimmed,
// then matched exactly (case-sensitive); a new SKU that differs from an existing one only in letter case is refused,
// so no two products can be told apart by case alone. Barcodes are GTINs, normalised to 14 digits, unique across
// products (archived ones included: their history still names them).
import '#server-only';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '@/db/client';
import { masterDataChanges, products, reservations, stockLevels, type Product } from '@/db/schema';
import { barcode, MAX_BARCODES, type CatalogProduct } from '@/lib/contracts/catalog';
import { actorRef } from '../kernel/actor';
import type { CommandContext } from '../kernel/clock';
import { runCommand, type CommandOptions } from '../kernel/command';
import { InventoryError, invalidInput, notFound } from '../kernel/errors';
import { bare, bareColumns, columnList } from '../kernel/column-names';
import { sku } from '../kernel/schemas';
import { textArray } from '../kernel/text-array';
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

// The save itself, inside a command that is already running: one product, through the batch save below.
// `barcodeField`: the form field a taken barcode is reported on (the scan form has one code, the editor a list).
export async function saveProductIn(tx: Tx, i: z.output<typeof saveProductInput>, ctx: CommandContext, barcodeField = 'barcodes'): Promise<SaveProductResult> {
  try {
    const [saved] = await saveProductsIn(tx, [i], ctx, barcodeField);
    return saved;
  } catch (e) {
    throw e instanceof ProductsRefused ? e.refusals[0].error : e;
  }
}

// Every row a batch save refused, by its position in the batch. The batch wrote nothing.
export class ProductsRefused extends InventoryError {
  constructor(readonly refusals: { index: number; error: InventoryError }[]) {
    const first = refusals[0].error;
    super(first.type, first.message, { ...first.details, index: refusals[0].index });
  }
}

// Saves many products with the rules of one save, checked for the whole batch first and then written in a few
// statements (one INSERT for the new products, one UPDATE for the changed ones, one insert of their audit rows):
// an import saves 100,000 rows in one transaction, where three statements per row took minutes. Barcodes must be
// unique in the state the batch leaves behind, so two products of a batch may swap a code; a SKU given twice in one
// batch is refused. Any refused row refuses the batch (ProductsRefused, naming each row), with nothing written.
export async function saveProductsIn(
  tx: Tx,
  inputs: z.output<typeof saveProductInput>[],
  ctx: CommandContext,
  barcodeField = 'barcodes',
): Promise<SaveProductResult[]> {
  if (!inputs.length) return [];
  const refusals: { index: number; error: InventoryError }[] = [];
  const refuse = (index: number, error: InventoryError) => void refusals.push({ index, error });
  // Sent together, run in this order on the transaction's connection (the lock first): the products saved and any
  // that differ from a new SKU only in letter case, locked (a threshold edit changes a product without the catalogue
  // lock, and the UPDATE below writes what was read here); and the owners of every barcode the batch gives.
  const [, similar, owners] = await Promise.all([
    lockCatalogue(tx),
    productsLike(tx, inputs.map((i) => i.sku), true),
    barcodeOwners(tx, [...new Set(inputs.flatMap((i) => i.barcodes ?? []))]),
  ]);
  const bySku = new Map(similar.map((r) => [r.sku, r]));
  type Plan =
    | { index: number; kind: 'create'; values: Values }
    | { index: number; kind: 'update'; current: Product; next: Values; changed: Editable[] }
    | { index: number; kind: 'same'; current: Product };
  const plans: Plan[] = [];
  const firstOf = new Map<string, number>();
  for (const [index, i] of inputs.entries()) {
    if (firstOf.has(i.sku)) {
      refuse(index, new InventoryError('conflict', `SKU ${i.sku} is given twice in one batch.`, { sku: i.sku, fields: { sku: ['given twice'] } }));
      continue;
    }
    firstOf.set(i.sku, index);
    const current = bySku.get(i.sku);
    if (!current) {
      if (i.mode === 'update') refuse(index, notFound('sku', i.sku));
      else if (i.name === undefined) refuse(index, invalidInput({ name: ['name is required'] }));
      else {
        const values: Values = {
          name: i.name,
          barcodes: dedupe(i.barcodes ?? []),
          unit: i.unit ?? 'each',
          lowStockThreshold: i.lowStockThreshold ?? 0,
          leadTimeDays: i.leadTimeDays ?? 7,
          active: i.active ?? true,
        };
        plans.push({ index, kind: 'create', values });
      }
      continue;
    }
    if (i.mode === 'create') {
      refuse(index, new InventoryError('conflict', `A product with SKU ${i.sku} already exists.`, { sku: i.sku, fields: { sku: ['this SKU is already in use'] } }));
      continue;
    }
    if (i.version !== undefined && i.version !== current.version) {
      refuse(index, await staleError(tx, current, i.version));
      continue;
    }
    const next: Values = {
      name: i.name ?? current.name,
      barcodes: i.barcodes ? dedupe(i.barcodes) : current.barcodes,
      unit: i.unit ?? current.unit,
      lowStockThreshold: i.lowStockThreshold ?? current.lowStockThreshold,
      leadTimeDays: i.leadTimeDays ?? current.leadTimeDays,
      active: i.active ?? current.active,
    };
    const changed = EDITABLE.filter((k) => JSON.stringify(next[k]) !== JSON.stringify(current[k]));
    plans.push(changed.length ? { index, kind: 'update', current, next, changed } : { index, kind: 'same', current });
  }
  const creates = plans.filter((p) => p.kind === 'create');
  const updates = plans.filter((p) => p.kind === 'update');
  const blocked = new Set<number>();
  for (const [index, error] of caseTwins(similar, creates.map((p) => ({ index: p.index, sku: inputs[p.index].sku })))) {
    refuse(index, error);
    blocked.add(index);
  }
  const claims = [
    ...creates.filter((p) => !blocked.has(p.index)).map((p) => ({ index: p.index, selfId: null, codes: p.values.barcodes })),
    ...updates.filter((p) => p.changed.includes('barcodes')).map((p) => ({ index: p.index, selfId: p.current.id, codes: p.next.barcodes })),
  ];
  const batchCodes = new Map(updates.map((p) => [p.current.id, p.next.barcodes]));
  for (const [index, error] of takenBarcodes(owners, claims, batchCodes, inputs, barcodeField)) refuse(index, error);
  const archiving = updates.filter((p) => p.current.active && !p.next.active).map((p) => ({ index: p.index, product: p.current }));
  for (const [index, error] of await stockedArchives(tx, archiving)) refuse(index, error);
  if (refusals.length) throw new ProductsRefused(refusals.sort((a, b) => a.index - b.index));

  const out: SaveProductResult[] = new Array(inputs.length);
  const audit: { action: string; before: CatalogProduct | null; after: CatalogProduct }[] = [];
  for (const p of creates) {
    // A new product starts at version 1, written as such below.
    const row: CatalogProduct = { sku: inputs[p.index].sku, ...p.values, version: 1 };
    audit.push({ action: 'create', before: null, after: row });
    out[p.index] = { ...row, created: true, changed: true };
  }
  for (const { index, current, next } of updates) {
    // The rows are locked above, so what the UPDATE leaves is known without reading it back.
    const row: CatalogProduct = { sku: current.sku, ...next, version: current.version + 1 };
    // Archiving or restoring is named as such, whatever else the same save changed.
    audit.push({ action: current.active === next.active ? 'update' : next.active ? 'restore' : 'archive', before: toCatalogProduct(current), after: row });
    out[index] = { ...row, created: false, changed: true };
  }
  for (const p of plans) if (p.kind === 'same') out[p.index] = { ...toCatalogProduct(p.current), created: false, changed: false };
  // Rows travel as one JSON parameter per statement: a VALUES list binds each value on its own, and preparing and
  // binding thousands of parameters cost more than the writes. The three statements are sent together.
  await Promise.all([
    creates.length &&
      tx.execute(sql`
        INSERT INTO ${products} ${columnList(products.sku, products.name, products.barcodes, products.unit, products.lowStockThreshold, products.leadTimeDays, products.active, products.version)}
        SELECT v.sku, v.name, v.barcodes, v.unit, v.low_stock_threshold, v.lead_time_days, v.active, 1
        FROM jsonb_to_recordset(${JSON.stringify(creates.map((p) => ({ sku: inputs[p.index].sku, ...asColumns(p.values) })))}::jsonb) AS v(${recordColumns})`),
    updates.length &&
      tx.execute(sql`
        UPDATE ${products} SET ${bare(products.name)} = v.name, ${bare(products.barcodes)} = v.barcodes, ${bare(products.unit)} = v.unit,
          ${bare(products.lowStockThreshold)} = v.low_stock_threshold, ${bare(products.leadTimeDays)} = v.lead_time_days,
          ${bare(products.active)} = v.active, ${bare(products.version)} = ${products.version} + 1
        FROM jsonb_to_recordset(${JSON.stringify(updates.map((u) => ({ id: u.current.id, sku: u.current.sku, ...asColumns(u.next) })))}::jsonb) AS v(${recordColumns})
        WHERE ${products.id} = v.id`),
    record(tx, ctx, audit),
  ]);
  const judged = updates.filter((p) => p.changed.includes('lowStockThreshold') || p.changed.includes('active')).map((p) => p.current.id);
  if (judged.length) await rejudge(tx, judged, ctx);
  return out;
}

// Archiving again answers the archived product again; a product with stock or holds is refused with the figures.
export function archiveProduct(db: Db, input: z.input<typeof archiveProductInput>, opts: CommandOptions): Promise<SaveProductResult> {
  return runCommand(db, { name: 'archiveProduct', schema: archiveProductInput }, input, opts, (tx, i, ctx) =>
    saveProductIn(tx, { sku: i.sku, version: i.version, active: false, mode: 'update' }, ctx),
  );
}

// A code scanned on the product's page: adding is safe whatever changed since, so it takes no version.
export function addBarcode(db: Db, input: z.input<typeof addBarcodeInput>, opts: CommandOptions): Promise<SaveProductResult> {
  return runCommand(db, { name: 'addBarcode', schema: addBarcodeInput }, input, opts, async (tx, i, ctx) => {
    await lockCatalogue(tx);
    const [current] = await tx.select({ barcodes: products.barcodes }).from(products).where(eq(products.sku, i.sku));
    if (!current) throw notFound('sku', i.sku);
    return saveProductIn(tx, { sku: i.sku, barcodes: dedupe([...current.barcodes, i.barcode]), mode: 'update' }, ctx, 'barcode');
  });
}

// Master-data writes are rare and short: one lock makes the uniqueness checks below (SKU case, barcodes across
// products) exact under concurrency without a unique index over an array.
export async function lockCatalogue(tx: Tx) {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('onhand:catalogue'))`);
}

// New SKUs of a batch that differ from an existing one (among `similar`), or from an earlier one of the batch, only in
// letter case.
function caseTwins(similar: Product[], creates: { index: number; sku: string }[]): Map<number, InventoryError> {
  const out = new Map<number, InventoryError>();
  const twinOf = new Map(similar.map((t) => [t.sku.toLowerCase(), t.sku]));
  for (const { index, sku: s } of creates) {
    const twin = twinOf.get(s.toLowerCase());
    if (twin === undefined) twinOf.set(s.toLowerCase(), s);
    else {
      out.set(
        index,
        new InventoryError('conflict', `SKU ${s} differs from the existing ${twin} only in letter case.`, {
          sku: s,
          existing: twin,
          fields: { sku: [`differs from the existing SKU ${twin} only in letter case`] },
        }),
      );
    }
  }
  return out;
}

// Products whose SKU equals one of `skus` in any letter case, through the lower(sku) btree index: for a list of SKUs
// the planner prefers the trigram index on sku, whose posting lists for a shared prefix ("BENCH-") hold every
// product and whose pending list is scanned whole, which made an import's batches crawl.
export async function productsLike(tx: Tx, skus: string[], lock = false) {
  if (!skus.length) return [];
  const q = tx
    .select()
    .from(products)
    .where(sql`lower(${products.sku}) = ANY(SELECT lower(s) FROM unnest(${textArray(skus)}) AS s)`);
  return lock ? q.for('update') : q;
}

// Codes claimed by new products and by changed barcode lists, against their owners once the batch is saved:
// products outside the batch as stored, products of the batch with their new lists, earlier claims of the batch.
// `owners`: the stored products holding any of the claimed codes.
function takenBarcodes(
  owners: { id: number; sku: string; barcodes: string[] }[],
  claims: { index: number; selfId: number | null; codes: string[] }[],
  batchCodes: Map<number, string[]>,
  inputs: { sku: string }[],
  field: string,
): Map<number, InventoryError> {
  const out = new Map<number, InventoryError>();
  const ownerOf = new Map<string, { id: number; sku: string }>();
  for (const o of owners) for (const c of batchCodes.get(o.id) ?? o.barcodes) ownerOf.set(c, o);
  const claimed = new Map<string, { index: number; sku: string }>();
  for (const { index, selfId, codes } of claims.sort((a, b) => a.index - b.index)) {
    const fields: Record<string, string[]> = {};
    const taken: { barcode: string; sku: string }[] = [];
    codes.forEach((code, n) => {
      const stored = ownerOf.get(code);
      const earlier = claimed.get(code);
      const owner = stored && stored.id !== selfId ? stored.sku : earlier && earlier.index !== index ? earlier.sku : undefined;
      if (owner === undefined) return;
      taken.push({ barcode: code, sku: owner });
      (fields[field === 'barcodes' ? `barcodes.${n}` : field] ??= []).push(`${code} already belongs to ${owner}`);
    });
    if (taken.length) {
      out.set(index, new InventoryError('conflict', `Barcode ${taken.map((t) => `${t.barcode} already belongs to ${t.sku}`).join('; ')}.`, { taken, fields }));
    } else for (const code of codes) if (!claimed.has(code)) claimed.set(code, { index, sku: inputs[index].sku });
  }
  return out;
}

// Products holding any of `codes`: one index probe per code. (`barcodes && list` is planned as a scan of every
// product comparing it with the whole list once the list is long, as an import's batch is.)
export async function barcodeOwners(tx: Tx, codes: string[]) {
  if (!codes.length) return [];
  return tx
    .select({ id: products.id, sku: products.sku, barcodes: products.barcodes })
    .from(products)
    .where(sql`${products.id} IN (SELECT p.id FROM unnest(${textArray(codes)}) AS c(code) JOIN ${products} AS p ON p.${bare(products.barcodes)} @> ARRAY[c.code])`);
}

// Products being archived that still have stock or holds, with the figures.
async function stockedArchives(tx: Tx, items: { index: number; product: Product }[]): Promise<Map<number, InventoryError>> {
  const out = new Map<number, InventoryError>();
  if (!items.length) return out;
  const ids = items.map((i) => i.product.id);
  const levels = await tx
    .select({ productId: stockLevels.productId, onHand: sql<number>`sum(${stockLevels.onHand})::int`, reserved: sql<number>`sum(${stockLevels.reserved})::int` })
    .from(stockLevels)
    .where(inArray(stockLevels.productId, ids))
    .groupBy(stockLevels.productId);
  const holdRows = await tx
    .select({ productId: reservations.productId, holds: sql<number>`count(*)::int` })
    .from(reservations)
    .where(and(inArray(reservations.productId, ids), eq(reservations.status, 'active')))
    .groupBy(reservations.productId);
  const levelOf = new Map(levels.map((l) => [l.productId, l]));
  const holdsOf = new Map(holdRows.map((h) => [h.productId, h.holds]));
  for (const { index, product: p } of items) {
    const { onHand, reserved } = levelOf.get(p.id) ?? { onHand: 0, reserved: 0 };
    const holds = holdsOf.get(p.id) ?? 0;
    if (onHand === 0 && reserved === 0 && holds === 0) continue;
    const message = `${p.sku} still has ${onHand} on hand and ${holds} open hold${holds === 1 ? '' : 's'} (${reserved} units reserved): move, adjust or release them before archiving.`;
    out.set(index, new InventoryError('invalid_state', message, { sku: p.sku, onHand, reserved, holds, fields: { active: [message] } }));
  }
  return out;
}

// The product as the editor saw it is the `before` of the change that made the version after it.
async function staleError(tx: Tx, current: Product, version: number): Promise<InventoryError> {
  const [seenRow] = await tx
    .select({ before: masterDataChanges.before })
    .from(masterDataChanges)
    .where(and(eq(masterDataChanges.entity, 'product'), eq(masterDataChanges.entityKey, current.sku), sql`${masterDataChanges.before}->>'version' = ${String(version)}`))
    .limit(1);
  const seen = seenRow?.before as Partial<CatalogProduct> | undefined;
  const now = toCatalogProduct(current);
  const changes = EDITABLE.filter((k) => !seen || JSON.stringify(seen[k]) !== JSON.stringify(now[k])).map((k) => ({ field: k, was: seen?.[k] ?? null, now: now[k] }));
  const fields = Object.fromEntries(changes.map((c) => [c.field, [`changed meanwhile to ${JSON.stringify(c.now)}`]]));
  return new InventoryError(
    'conflict',
    `${current.sku} was changed by someone else since you opened it (version ${version}, now ${current.version}): ${changes.map((c) => c.field).join(', ') || 'no visible field'}. Review the new values and save again.`,
    { sku: current.sku, version: current.version, current: now, changes, fields },
  );
}

// One audit row per saved product, inserted together.
async function record(tx: Tx, ctx: CommandContext, changes: { action: string; before: CatalogProduct | null; after: CatalogProduct }[]) {
  if (!changes.length) return;
  const m = bareColumns(masterDataChanges);
  await tx.execute(sql`
    INSERT INTO ${masterDataChanges} (${m.entity}, ${m.entityKey}, ${m.action}, ${m.actor}, ${m.commandId}, ${m.before}, ${m.after})
    SELECT 'product', v.after->>'sku', v.action, ${actorRef(ctx.actor)}, ${ctx.commandId}, v.before, v.after
    FROM jsonb_to_recordset(${JSON.stringify(changes)}::jsonb) AS v(action text, before jsonb, after jsonb)`);
}

// A product's editable values as the columns of the JSON rows above.
const asColumns = (v: Values) => ({
  name: v.name,
  barcodes: v.barcodes,
  unit: v.unit,
  low_stock_threshold: v.lowStockThreshold,
  lead_time_days: v.leadTimeDays,
  active: v.active,
});
const recordColumns = sql.raw('id integer, sku text, name text, barcodes text[], unit text, low_stock_threshold integer, lead_time_days integer, active boolean');


const dedupe = (codes: string[]) => [...new Set(codes)];
