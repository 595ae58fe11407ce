// What label pages print: products by SKU and bins by warehouse and code (or id), in the order asked, with what was
// asked for and does not exist named rather than dropped.
import '#server-only';
import { and, asc, eq, inArray, or, sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { products } from '@/db/schema';
import { l, w } from './aliases';

export type LabelProduct = { sku: string; name: string; barcodes: string[] };
export type LabelBin = { id: number; warehouse: string; warehouseName: string; code: string; kind: string };

export async function productsForLabels(db: Executor, skus: string[]): Promise<{ found: LabelProduct[]; unknown: string[] }> {
  if (!skus.length) return { found: [], unknown: [] };
  const rows = await db.select({ sku: products.sku, name: products.name, barcodes: products.barcodes }).from(products).where(inArray(products.sku, skus));
  const bySku = new Map(rows.map((r) => [r.sku, r]));
  return { found: skus.flatMap((s) => bySku.get(s) ?? []), unknown: skus.filter((s) => !bySku.has(s)) };
}

const binColumns = { id: l.id, warehouse: w.code, warehouseName: w.name, code: l.code, kind: l.kind };

// Codes compare as scans do, upper case; a warehouse's whole list is in code order.
export async function binsForLabels(
  db: Executor,
  q: { warehouse?: string; codes?: string[]; ids?: number[]; all?: boolean },
): Promise<{ found: LabelBin[]; unknown: string[] }> {
  const codes = (q.codes ?? []).map((c) => c.toUpperCase());
  const ids = q.ids ?? [];
  const warehouse = q.warehouse?.toUpperCase();
  if (!ids.length && !(warehouse && (codes.length || q.all))) return { found: [], unknown: [] };
  const inWarehouse = warehouse ? eq(sql`upper(${w.code})`, warehouse) : undefined;
  const rows = await db
    .select(binColumns)
    .from(l)
    .innerJoin(w, eq(w.id, l.warehouseId))
    .where(
      or(
        ids.length ? inArray(l.id, ids) : undefined,
        inWarehouse && q.all ? inWarehouse : undefined,
        inWarehouse && codes.length ? and(inWarehouse, inArray(sql`upper(${l.code})`, codes)) : undefined,
      ),
    )
    .orderBy(asc(w.code), asc(l.code));
  if (q.all) return { found: rows, unknown: [] };
  const byCode = new Map(rows.filter((r) => r.warehouse.toUpperCase() === warehouse).map((r) => [r.code.toUpperCase(), r]));
  const byId = new Map(rows.map((r) => [r.id, r]));
  return {
    found: [...ids.flatMap((id) => byId.get(id) ?? []), ...codes.flatMap((c) => byCode.get(c) ?? [])],
    unknown: [...ids.filter((id) => !byId.has(id)).map((id) => `bin id ${id}`), ...codes.filter((c) => !byCode.has(c)).map((c) => `${warehouse}:${c}`)],
  };
}

export async function warehouseChoices(db: Executor): Promise<{ code: string; name: string }[]> {
  return db.select({ code: w.code, name: w.name }).from(w).orderBy(asc(w.code));
}
