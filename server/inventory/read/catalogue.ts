// The catalogue as its editors and catalogue systems read it: products with their master data (not their
// stock), searched by SKU, name or barcode, paged by SKU. A product's recorded changes are read by activity.ts.
import '#server-only';
import { and, asc, eq, gt, not, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { products } from '@/db/schema';
import type { CatalogProduct } from '@/lib/contracts/catalog';
import { toCatalogProduct } from '../commands/products';
import { listedSql } from '../kernel/availability-rule';
import { searchCondition } from './stock-list';

export const DEFAULT_CATALOGUE_LIMIT = 50;
export const MAX_CATALOGUE_LIMIT = 200;
export const archivedFilters = ['exclude', 'include', 'only'] as const;
export type ArchivedFilter = (typeof archivedFilters)[number];

export type CatalogueQuery = { q?: string; after?: string; limit?: number; archived?: ArchivedFilter };
export type CataloguePage = { items: CatalogProduct[]; nextCursor: string | null };

export async function catalogue(db: Executor, query: CatalogueQuery = {}): Promise<CataloguePage> {
  const limit = query.limit ?? DEFAULT_CATALOGUE_LIMIT;
  const archived: Record<ArchivedFilter, SQL | undefined> = { exclude: listedSql(), include: undefined, only: not(listedSql()) };
  // searchCondition speaks of the products table as p, like the stock list it serves.
  const search = query.q?.trim() ? sql`${products.id} IN (SELECT p.id FROM products p WHERE ${searchCondition(query.q)})` : undefined;
  const rows = await db
    .select()
    .from(products)
    .where(and(archived[query.archived ?? 'exclude'], search, query.after === undefined ? undefined : gt(products.sku, query.after)))
    .orderBy(asc(products.sku))
    .limit(limit + 1);
  const items = rows.slice(0, limit).map(toCatalogProduct);
  return { items, nextCursor: rows.length > limit ? items[items.length - 1].sku : null };
}

export async function catalogProduct(db: Executor, sku: string): Promise<CatalogProduct | null> {
  const [row] = await db.select().from(products).where(eq(products.sku, sku));
  return row ? toCatalogProduct(row) : null;
}
