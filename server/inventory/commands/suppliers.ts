// Suppliers and a product's supplier terms as master data. Each change is one transaction with its audit row
// (master_data_changes: entity 'supplier' keyed by id, 'product_supplier' keyed by SKU/supplier id). Names are
// unique regardless of letter case. A supplier is deactivated, never deleted: its orders still name it.
// A product has at most one preferred supplier; making one preferred takes the flag from the others in the same
// transaction (the product row is locked first, so two such saves queue rather than both win).
import '#server-only';
import { and, eq, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '@/db/client';
import { productSuppliers, products, suppliers, type ProductSupplier, type Supplier } from '@/db/schema';
import type { ProductSupplierTerms, SupplierMaster } from '@/lib/contracts/purchasing';
import type { CommandContext } from '../kernel/clock';
import { runCommand, type CommandOptions } from '../kernel/command';
import { InventoryError, invalidInput, notFound } from '../kernel/errors';
import { sku } from '../kernel/schemas';
import { lockSuppliers, recordChange, refuseStale } from './purchasing-records';

const version = z.number({ error: 'version must be a number' }).int().positive().optional();
const whole = (what: string, min: number, max: number) =>
  z
    .number({ error: `${what} must be a number` })
    .int(`${what} must be a whole number`)
    .min(min, min === 0 ? `${what} cannot be negative` : `${what} must be at least ${min}`)
    .max(max, `${what} is at most ${max.toLocaleString('en')}`);
const optionalText = (what: string, max: number) =>
  z
    .string({ error: `${what} must be text` })
    .trim()
    .max(max, `${what} is at most ${max} characters`)
    .transform((v) => v || null)
    .nullable();

export const supplierFields = {
  name: z.string({ error: 'name is required' }).trim().min(1, 'name is required').max(200, 'name is at most 200 characters'),
  email: optionalText('email', 254).refine((v) => v === null || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v), 'email must look like name@example.com'),
  phone: optionalText('phone', 40).refine((v) => v === null || /^[0-9+()\-. ]+$/.test(v), 'phone may contain digits, spaces and + ( ) - . only'),
  leadTimeDays: whole('lead time', 0, 365),
  active: z.boolean({ error: 'active must be true or false' }),
};

// Create (no id), update (id), or upsert by name (an importer's rows name suppliers, not ids).
export const saveSupplierInput = z.object({
  id: z.number().int().positive().optional(),
  name: supplierFields.name.optional(),
  email: supplierFields.email.optional(),
  phone: supplierFields.phone.optional(),
  leadTimeDays: supplierFields.leadTimeDays.optional(),
  active: supplierFields.active.optional(),
  version,
  mode: z.enum(['create', 'update', 'upsert']).default('upsert'),
});
export type SaveSupplierInput = z.input<typeof saveSupplierInput>;
export type SaveSupplierResult = SupplierMaster & { created: boolean; changed: boolean };

const EDITABLE = ['name', 'email', 'phone', 'leadTimeDays', 'active'] as const;
type Values = Pick<SupplierMaster, (typeof EDITABLE)[number]>;

export const toSupplierMaster = (s: Supplier): SupplierMaster => ({
  id: s.id,
  name: s.name,
  email: s.email,
  phone: s.phone,
  leadTimeDays: s.leadTimeDays,
  active: s.active,
  version: s.version,
});

export function saveSupplier(db: Db, input: SaveSupplierInput, opts: CommandOptions): Promise<SaveSupplierResult> {
  return runCommand(db, { name: 'saveSupplier', schema: saveSupplierInput }, input, opts, async (tx, i, ctx) => {
    await lockSuppliers(tx);
    const current = i.id !== undefined ? await supplierRow(tx, eq(suppliers.id, i.id)) : i.mode === 'upsert' && i.name ? await supplierRow(tx, sql`lower(${suppliers.name}) = lower(${i.name})`) : undefined;
    if (i.id !== undefined && !current) throw notFound('supplier', i.id);
    if (!current) {
      if (i.mode === 'update') throw invalidInput({ id: ['say which supplier to update'] });
      if (i.name === undefined) throw invalidInput({ name: ['name is required'] });
      await refuseTakenName(tx, i.name, null);
      const values: Values = { name: i.name, email: i.email ?? null, phone: i.phone ?? null, leadTimeDays: i.leadTimeDays ?? 7, active: i.active ?? true };
      const [row] = await tx.insert(suppliers).values(values).returning();
      await recordChange(tx, ctx, 'supplier', String(row.id), 'create', null, toSupplierMaster(row));
      return { ...toSupplierMaster(row), created: true, changed: true };
    }
    if (i.mode === 'create') {
      throw new InventoryError('conflict', `A supplier named ${current.name} already exists.`, { fields: { name: [`${current.name} already exists`] } });
    }
    const now = toSupplierMaster(current);
    if (i.version !== undefined && i.version !== current.version) await refuseStale(tx, 'supplier', String(current.id), `Supplier ${current.name}`, now, i.version, EDITABLE);
    const next: Values = {
      name: i.name ?? current.name,
      email: i.email === undefined ? current.email : i.email,
      phone: i.phone === undefined ? current.phone : i.phone,
      leadTimeDays: i.leadTimeDays ?? current.leadTimeDays,
      active: i.active ?? current.active,
    };
    if (!EDITABLE.some((k) => next[k] !== current[k])) return { ...now, created: false, changed: false };
    if (next.name !== current.name) await refuseTakenName(tx, next.name, current.id);
    const [row] = await tx
      .update(suppliers)
      .set({ ...next, version: sql`${suppliers.version} + 1` })
      .where(eq(suppliers.id, current.id))
      .returning();
    const action = current.active === next.active ? 'update' : next.active ? 'restore' : 'deactivate';
    await recordChange(tx, ctx, 'supplier', String(row.id), action, now, toSupplierMaster(row));
    return { ...toSupplierMaster(row), created: false, changed: true };
  });
}

async function supplierRow(tx: Tx, where: ReturnType<typeof eq>): Promise<Supplier | undefined> {
  const [row] = await tx.select().from(suppliers).where(where).for('update');
  return row;
}

async function refuseTakenName(tx: Tx, name: string, selfId: number | null) {
  const [twin] = await tx
    .select({ name: suppliers.name })
    .from(suppliers)
    .where(and(sql`lower(${suppliers.name}) = lower(${name})`, selfId === null ? undefined : ne(suppliers.id, selfId)));
  if (twin) throw new InventoryError('conflict', `A supplier named ${twin.name} already exists.`, { fields: { name: [`${twin.name} already exists`] } });
}

// ---------------------------------------------------------------- a product's supplier terms

export const productSupplierFields = {
  supplierSku: optionalText('supplier SKU', 64),
  packSize: whole('pack size', 1, 100_000),
  minOrderQty: whole('minimum order', 1, 1_000_000),
  // Typed as money (12.50); kept in cents.
  unitCost: z
    .number({ error: 'unit cost must be a number' })
    .min(0, 'unit cost cannot be negative')
    .max(1_000_000, 'unit cost is at most 1,000,000')
    .refine((v) => Math.abs(Math.round(v * 100) - v * 100) < 1e-6, 'unit cost has at most 2 decimals')
    .nullable(),
  preferred: z.boolean({ error: 'preferred must be true or false' }),
};

export const saveProductSupplierInput = z.object({
  sku,
  supplierId: z.number({ error: 'choose a supplier' }).int().positive('choose a supplier'),
  supplierSku: productSupplierFields.supplierSku.optional(),
  packSize: productSupplierFields.packSize.optional(),
  minOrderQty: productSupplierFields.minOrderQty.optional(),
  unitCost: productSupplierFields.unitCost.optional(),
  preferred: productSupplierFields.preferred.optional(),
  version,
});
export type SaveProductSupplierInput = z.input<typeof saveProductSupplierInput>;
export const removeProductSupplierInput = z.object({ sku, supplierId: z.number().int().positive(), version });

const TERMS = ['supplierSku', 'packSize', 'minOrderQty', 'unitCostCents', 'preferred'] as const;
type Terms = Pick<ProductSupplier, (typeof TERMS)[number]>;

export function toTerms(sku: string, supplier: Supplier, t: ProductSupplier): ProductSupplierTerms {
  return {
    sku,
    supplierId: supplier.id,
    supplier: supplier.name,
    supplierSku: t.supplierSku,
    packSize: t.packSize,
    minOrderQty: t.minOrderQty,
    unitCostCents: t.unitCostCents,
    preferred: t.preferred,
    leadTimeDays: supplier.leadTimeDays,
    version: t.version,
  };
}

export function saveProductSupplier(db: Db, input: SaveProductSupplierInput, opts: CommandOptions): Promise<ProductSupplierTerms & { created: boolean; changed: boolean }> {
  return runCommand(db, { name: 'saveProductSupplier', schema: saveProductSupplierInput }, input, opts, async (tx, i, ctx) => {
    const product = await lockProduct(tx, i.sku);
    const [supplier] = await tx.select().from(suppliers).where(eq(suppliers.id, i.supplierId));
    if (!supplier) throw new InventoryError('not_found', `No supplier ${i.supplierId}.`, { fields: { supplierId: ['no such supplier'] } });
    const key = `${product.sku}/${supplier.id}`;
    const [current] = await tx
      .select()
      .from(productSuppliers)
      .where(and(eq(productSuppliers.productId, product.id), eq(productSuppliers.supplierId, supplier.id)))
      .for('update');
    if (!current && !supplier.active) {
      throw new InventoryError('invalid_state', `${supplier.name} is deactivated: reactivate it before adding its terms.`, { fields: { supplierId: ['this supplier is deactivated'] } });
    }
    const next: Terms = {
      supplierSku: i.supplierSku === undefined ? (current?.supplierSku ?? null) : i.supplierSku,
      packSize: i.packSize ?? current?.packSize ?? 1,
      minOrderQty: i.minOrderQty ?? current?.minOrderQty ?? 1,
      unitCostCents: i.unitCost === undefined ? (current?.unitCostCents ?? null) : i.unitCost === null ? null : Math.round(i.unitCost * 100),
      // A product's first supplier is its preferred one unless said otherwise.
      preferred: i.preferred ?? current?.preferred ?? !(await hasPreferred(tx, product.id)),
    };
    if (current && i.version !== undefined && i.version !== current.version) {
      await refuseStale(tx, 'product_supplier', key, `${product.sku}'s terms with ${supplier.name}`, toTerms(product.sku, supplier, current), i.version, TERMS);
    }
    if (current && !TERMS.some((k) => next[k] !== current[k])) return { ...toTerms(product.sku, supplier, current), created: false, changed: false };
    // The partial unique index keeps one preferred per product; clearing the others first lets this one take it.
    if (next.preferred && !current?.preferred) await clearPreferred(tx, ctx, product.id, product.sku);
    const [row] = current
      ? await tx
          .update(productSuppliers)
          .set({ ...next, version: sql`${productSuppliers.version} + 1` })
          .where(and(eq(productSuppliers.productId, product.id), eq(productSuppliers.supplierId, supplier.id)))
          .returning()
      : await tx
          .insert(productSuppliers)
          .values({ productId: product.id, supplierId: supplier.id, ...next })
          .returning();
    await recordChange(tx, ctx, 'product_supplier', key, current ? 'update' : 'create', current ? toTerms(product.sku, supplier, current) : null, toTerms(product.sku, supplier, row));
    return { ...toTerms(product.sku, supplier, row), created: !current, changed: true };
  });
}

export function removeProductSupplier(db: Db, input: z.input<typeof removeProductSupplierInput>, opts: CommandOptions): Promise<{ sku: string; supplierId: number; removed: boolean }> {
  return runCommand(db, { name: 'removeProductSupplier', schema: removeProductSupplierInput }, input, opts, async (tx, i, ctx) => {
    const product = await lockProduct(tx, i.sku);
    const [current] = await tx
      .select()
      .from(productSuppliers)
      .where(and(eq(productSuppliers.productId, product.id), eq(productSuppliers.supplierId, i.supplierId)))
      .for('update');
    if (!current) return { sku: product.sku, supplierId: i.supplierId, removed: false };
    const [supplier] = await tx.select().from(suppliers).where(eq(suppliers.id, i.supplierId));
    const key = `${product.sku}/${supplier.id}`;
    if (i.version !== undefined && i.version !== current.version) {
      await refuseStale(tx, 'product_supplier', key, `${product.sku}'s terms with ${supplier.name}`, toTerms(product.sku, supplier, current), i.version, TERMS);
    }
    await tx.delete(productSuppliers).where(and(eq(productSuppliers.productId, product.id), eq(productSuppliers.supplierId, i.supplierId)));
    await recordChange(tx, ctx, 'product_supplier', key, 'delete', toTerms(product.sku, supplier, current), null);
    return { sku: product.sku, supplierId: i.supplierId, removed: true };
  });
}

async function lockProduct(tx: Tx, skuValue: string) {
  const [product] = await tx.select({ id: products.id, sku: products.sku }).from(products).where(eq(products.sku, skuValue)).for('update');
  if (!product) throw notFound('sku', skuValue);
  return product;
}

async function hasPreferred(tx: Tx, productId: number) {
  return (await tx.$count(productSuppliers, and(eq(productSuppliers.productId, productId), eq(productSuppliers.preferred, true)))) > 0;
}

async function clearPreferred(tx: Tx, ctx: CommandContext, productId: number, skuValue: string) {
  const cleared = await tx
    .update(productSuppliers)
    .set({ preferred: false, version: sql`${productSuppliers.version} + 1` })
    .where(and(eq(productSuppliers.productId, productId), eq(productSuppliers.preferred, true)))
    .returning();
  for (const row of cleared) {
    const [supplier] = await tx.select().from(suppliers).where(eq(suppliers.id, row.supplierId));
    await recordChange(tx, ctx, 'product_supplier', `${skuValue}/${supplier.id}`, 'update', { ...toTerms(skuValue, supplier, row), preferred: true, version: row.version - 1 }, toTerms(skuValue, supplier, row));
  }
}

// Quantity to order: at least the minimum, in whole packs. Pure, so the draft editor, the suggestion and the
// tests all round the same way; `note` says what changed, for the screen.
export function roundToTerms(qty: number, terms: { packSize: number; minOrderQty: number } | null): { qty: number; note: string | null } {
  if (!terms) return { qty, note: null };
  const atLeast = Math.max(qty, terms.minOrderQty);
  const rounded = Math.ceil(atLeast / terms.packSize) * terms.packSize;
  if (rounded === qty) return { qty, note: null };
  const why = [terms.packSize > 1 ? `packs of ${terms.packSize}` : null, qty < terms.minOrderQty ? `minimum ${terms.minOrderQty}` : null].filter(Boolean).join(', ');
  return { qty: rounded, note: `${qty} rounded up to ${rounded} (${why})` };
}
