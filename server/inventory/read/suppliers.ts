// Suppliers for their page and pickers, and one product's supplier terms for its page.
import '#server-only';
import { asc, desc, eq, sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { productSuppliers, products, suppliers } from '@/db/schema';
import type { ProductSupplierTerms, SupplierMaster } from '@/lib/contracts/purchasing';

export type SupplierSummary = SupplierMaster & { products: number };

export async function supplierList(db: Executor): Promise<SupplierSummary[]> {
  return db
    .select({
      id: suppliers.id,
      name: suppliers.name,
      email: suppliers.email,
      phone: suppliers.phone,
      leadTimeDays: suppliers.leadTimeDays,
      active: suppliers.active,
      version: suppliers.version,
      products: sql<number>`(SELECT count(*)::int FROM ${productSuppliers} WHERE ${productSuppliers.supplierId} = ${suppliers.id})`,
    })
    .from(suppliers)
    .orderBy(desc(suppliers.active), asc(sql`lower(${suppliers.name})`));
}

export async function productSupplierTerms(db: Executor, sku: string): Promise<ProductSupplierTerms[]> {
  return db
    .select({
      sku: products.sku,
      supplierId: suppliers.id,
      supplier: suppliers.name,
      supplierSku: productSuppliers.supplierSku,
      packSize: productSuppliers.packSize,
      minOrderQty: productSuppliers.minOrderQty,
      unitCostCents: productSuppliers.unitCostCents,
      preferred: productSuppliers.preferred,
      leadTimeDays: suppliers.leadTimeDays,
      version: productSuppliers.version,
    })
    .from(productSuppliers)
    .innerJoin(products, eq(products.id, productSuppliers.productId))
    .innerJoin(suppliers, eq(suppliers.id, productSuppliers.supplierId))
    .where(eq(products.sku, sku))
    .orderBy(desc(productSuppliers.preferred), asc(suppliers.name));
}

export async function supplierById(db: Executor, id: number): Promise<SupplierMaster | null> {
  if (!Number.isInteger(id) || id <= 0 || id > 2 ** 31 - 1) return null;
  const [row] = await db.select().from(suppliers).where(eq(suppliers.id, id));
  return row ? { id: row.id, name: row.name, email: row.email, phone: row.phone, leadTimeDays: row.leadTimeDays, active: row.active, version: row.version } : null;
}
