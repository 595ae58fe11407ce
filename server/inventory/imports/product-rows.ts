// Product rows: SKU, name, barcodes (GTINs), unit, threshold, lead time, active. Checked with the catalogue's own
// field rules; written by the catalogue's save (its audit row, barcode uniqueness and archive rules included).
import '#server-only';
import { barcode } from '@/lib/contracts/catalog';
import { barcodeOwners, lockCatalogue, productsLike, productFields, ProductsRefused, saveProductInput, saveProductsIn, toCatalogProduct } from '../commands/products';
import { sku as skuSchema } from '../kernel/schemas';
import { checked, flag, given, text, whole, type Reasons } from './cells';
import { diff, refused, type Classified, type PendingRow, type RowKind } from './row-kind';

type Values = { name?: string; barcodes?: string[]; unit?: string; lowStockThreshold?: number; leadTimeDays?: number; active?: boolean };

export function productRows(): RowKind {
  // Within the file: the line each SKU and each barcode was first seen on, so a repeat is refused by line.
  const skus = new Map<string, { line: number; sku: string }>();
  const codes = new Map<string, string>();
  return {
    async classify(tx, batch) {
      const read = batch.map((row) => readRow(row, skus, codes));
      const wanted = read.flatMap((r) => (r.sku ? [r.sku] : []));
      // Exact and letter-case matches in one lookup (see productsLike), sent with the barcodes' owners.
      const allCodes = [...new Set(read.flatMap((r) => r.values.barcodes ?? []))];
      const [similar, owners] = await Promise.all([productsLike(tx, wanted), barcodeOwners(tx, allCodes)]);
      const bySku = new Map(similar.map((p) => [p.sku, p]));
      const twinOf = new Map(similar.map((t) => [t.sku.toLowerCase(), t.sku]));
      const ownerOf = new Map(owners.flatMap((o) => o.barcodes.map((c) => [c, o.sku] as const)));
      return read.map(({ line, sku, values, reasons }): Classified => {
        if (!sku) return refused(line, null, reasons);
        const current = bySku.get(sku);
        for (const c of values.barcodes ?? []) {
          const owner = ownerOf.get(c);
          if (owner && owner !== sku) reasons.push(`barcode ${c} already belongs to ${owner}`);
        }
        if (!current) {
          const twin = twinOf.get(sku.toLowerCase());
          if (twin) reasons.push(`SKU ${sku} differs from the existing ${twin} only in letter case`);
          if (values.name === undefined) reasons.push('name is required for a new product');
        }
        if (reasons.length) return refused(line, sku, reasons);
        const write = saveProductInput.parse({ sku, ...values, mode: 'upsert' });
        if (!current) return { line, key: sku, outcome: 'new', values: { name: values.name, barcodes: values.barcodes ?? [], unit: values.unit ?? 'each', ...values }, write };
        const changes = diff(toCatalogProduct(current), values);
        return changes.length ? { line, key: sku, outcome: 'changed', changes, write } : { line, key: sku, outcome: 'unchanged' };
      });
    },
    // Applying: the catalogue lock first, so the batch checks above are exact until the file commits.
    prepare: (tx) => lockCatalogue(tx),
    async write(tx, ctx, rows) {
      try {
        await saveProductsIn(tx, rows.map((r) => r.write as ReturnType<typeof saveProductInput.parse>), ctx);
        return [];
      } catch (e) {
        if (!(e instanceof ProductsRefused)) throw e;
        return e.refusals.map(({ index, error }) => ({ line: rows[index].line, key: rows[index].key, reason: error.message }));
      }
    },
  };
}

function readRow({ line, fields }: PendingRow, skus: Map<string, { line: number; sku: string }>, codes: Map<string, string>) {
  const reasons: Reasons = [];
  const skuText = text(fields.sku, 'SKU', reasons);
  const sku = checked(skuSchema, skuText, 'SKU', reasons);
  if (skuText === undefined && !reasons.length) reasons.push('SKU is empty');
  if (sku !== undefined) {
    // Keyed in lower case: two SKUs of the file that differ only in letter case are a duplicate too.
    const first = skus.get(sku.toLowerCase());
    if (first !== undefined) {
      reasons.push(`duplicate SKU ${sku} in the file (first at line ${first.line}${first.sku === sku ? '' : `, as ${first.sku}`})`);
    } else skus.set(sku.toLowerCase(), { line, sku });
  }
  const values: Values = {
    name: checked(productFields.name, text(fields.name, 'name', reasons), 'name', reasons),
    unit: checked(productFields.unit, text(fields.unit, 'unit', reasons), 'unit', reasons),
    lowStockThreshold: checked(productFields.lowStockThreshold, whole(fields.lowStockThreshold, 'low-stock threshold', reasons), 'low-stock threshold', reasons),
    leadTimeDays: checked(productFields.leadTimeDays, whole(fields.leadTimeDays, 'lead time', reasons), 'lead time', reasons),
    active: flag(fields.active, 'active', reasons),
  };
  const rawCodes = given(fields.barcodes);
  if (rawCodes !== undefined) {
    const list: string[] = [];
    for (const raw of rawCodes.split(/[|;,\s]+/).filter(Boolean)) {
      const code = checked(barcode, raw.replace(/^'/, ''), 'barcode', reasons);
      if (code === undefined) continue;
      const other = codes.get(code);
      if (other !== undefined && other !== sku) reasons.push(`barcode ${raw} is also given to ${other} in the file`);
      else if (sku) codes.set(code, sku);
      list.push(code);
    }
    values.barcodes = checked(productFields.barcodes, [...new Set(list)], 'barcodes', reasons);
  }
  for (const k of Object.keys(values) as (keyof Values)[]) if (values[k] === undefined) delete values[k];
  return { line, sku, values, reasons };
}
