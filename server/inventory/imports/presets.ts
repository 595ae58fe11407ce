// From a file's columns to our fields: a mapping (column per field, or one fixed value), suggested from the header
// names, remembered per file shape, or given by a preset for another system's export. Shopify and WooCommerce
// products also need rows assembled: a Shopify product is several rows (one per variant, plus image rows) under
// one handle, and a WooCommerce variable product is a parent row whose variations carry the SKUs.
import '#server-only';
import { createHash } from 'node:crypto';
import { importFields, type ColumnMapping, type ImportKind, type ImportPreset } from '@/lib/contracts/imports';
import { ImportFileError } from './csv-reader';

export type RowFields = Record<string, string | undefined>;
export type Assembled = { fields: RowFields } | { ignore: true } | { refuse: string };
export type Shaper = { assemble: (cells: string[], line: number) => Assembled };

const norm = (h: string) => h.toLowerCase().replace(/[^a-z0-9]/g, '');

export function headerHash(headers: string[]): string {
  return createHash('sha256').update(headers.map((h) => h.trim()).join('\x1f')).digest('hex').slice(0, 32);
}

const aliases: Record<string, string[]> = {
  sku: ['sku', 'variantsku', 'itemcode', 'productcode', 'article'],
  name: ['name', 'title', 'productname', 'itemname'],
  barcodes: ['barcode', 'barcodes', 'gtin', 'ean', 'upc', 'variantbarcode'],
  unit: ['unit', 'uom', 'unitofmeasure'],
  lowStockThreshold: ['lowstockthreshold', 'threshold', 'reorderpoint', 'lowstockamount', 'minstock'],
  leadTimeDays: ['leadtimedays', 'leadtime', 'leaddays'],
  active: ['active', 'enabled', 'status'],
  warehouse: ['warehouse', 'warehousecode', 'site'],
  code: ['code', 'bin', 'bincode', 'location', 'locationcode'],
  bin: ['bin', 'bincode', 'location', 'locationcode'],
  kind: ['kind', 'type', 'bintype'],
  sellable: ['sellable'],
  pickOrder: ['pickorder', 'picksequence', 'sequence'],
  quantity: ['quantity', 'qty', 'onhand', 'counted', 'count', 'stock'],
};

const presetColumns: Record<Exclude<ImportPreset, 'columns'>, { kind: ImportKind; columns: Record<string, string>; signature: string[] }> = {
  'shopify-products': {
    kind: 'products',
    signature: ['Handle', 'Title', 'Variant SKU'],
    columns: { sku: 'Variant SKU', barcodes: 'Variant Barcode', active: 'Status' },
  },
  'shopify-inventory': {
    kind: 'stock',
    signature: ['Handle', 'SKU', 'Location', 'On hand'],
    columns: { sku: 'SKU', warehouse: 'Location', quantity: 'On hand' },
  },
  'woocommerce-products': {
    kind: 'products',
    signature: ['ID', 'Type', 'SKU', 'Name'],
    columns: { sku: 'SKU', name: 'Name', barcodes: 'GTIN, UPC, EAN, or ISBN', lowStockThreshold: 'Low stock amount', active: 'Published' },
  },
};

export function detectPreset(kind: ImportKind, headers: string[]): ImportPreset {
  const set = new Set(headers.map((h) => h.trim()));
  for (const [id, p] of Object.entries(presetColumns)) if (p.kind === kind && p.signature.every((h) => set.has(h))) return id as ImportPreset;
  return 'columns';
}

export function presetKind(preset: ImportPreset): ImportKind | null {
  return preset === 'columns' ? null : presetColumns[preset].kind;
}

// The columns a preset reads, or for plain files a column per field whose header names it.
export function suggestMapping(kind: ImportKind, preset: ImportPreset, headers: string[]): ColumnMapping {
  if (preset !== 'columns') {
    const present = new Set(headers.map((h) => h.trim()));
    return { columns: Object.fromEntries(Object.entries(presetColumns[preset].columns).filter(([, h]) => present.has(h))), fixed: {} };
  }
  const columns: Record<string, string> = {};
  for (const f of importFields[kind]) {
    const hit = headers.find((h) => norm(h) === norm(f.key) || (aliases[f.key] ?? []).includes(norm(h)));
    if (hit !== undefined) columns[f.key] = hit;
  }
  return { columns, fixed: {} };
}

export function makeShaper(kind: ImportKind, preset: ImportPreset, headers: string[], mapping: ColumnMapping): Shaper {
  const index = new Map(headers.map((h, i) => [h.trim(), i]));
  const known = new Set(importFields[kind].map((f) => f.key));
  for (const key of [...Object.keys(mapping.columns), ...Object.keys(mapping.fixed)]) {
    if (!known.has(key)) throw new ImportFileError(`The mapping names a field ${key} that ${kind} do not have.`);
  }
  for (const [key, header] of Object.entries(mapping.columns)) {
    if (!index.has(header.trim())) throw new ImportFileError(`The mapping reads ${key} from a column "${header}" that the file does not have.`);
  }
  const missing = importFields[kind].filter((f) => f.required && mapping.columns[f.key] === undefined && !mapping.fixed[f.key]?.trim());
  if (missing.length) {
    throw new ImportFileError(`Missing required column${missing.length > 1 ? 's' : ''}: ${missing.map((f) => f.label).join(', ')}. Map a column to ${missing.length > 1 ? 'each' : 'it'}.`);
  }
  const at = (cells: string[], header: string) => {
    const i = index.get(header);
    return i === undefined ? undefined : cells[i];
  };
  const mapped = (cells: string[]): RowFields => {
    const out: RowFields = {};
    for (const [key, header] of Object.entries(mapping.columns)) out[key] = cells[index.get(header.trim())!];
    for (const [key, value] of Object.entries(mapping.fixed)) if (value.trim()) out[key] = value;
    return out;
  };
  const width = (cells: string[]): Assembled | null =>
    cells.length === headers.length
      ? null
      : { refuse: `has ${cells.length} cells where the header row has ${headers.length}${cells.length > headers.length ? ' (extra columns)' : ''}` };

  if (preset === 'shopify-products') {
    // Handle → the product's title and the line that started it. Rows of one handle come together.
    const handles = new Map<string, { line: number; title: string }>();
    let current = '';
    return {
      assemble(cells, line) {
        const bad = width(cells);
        if (bad) return bad;
        const handle = at(cells, 'Handle')?.trim() ?? '';
        const title = at(cells, 'Title')?.trim() ?? '';
        if (!handle) return { refuse: 'has no Handle' };
        const seen = handles.get(handle);
        if (title) {
          if (seen) return { refuse: `duplicate handle ${handle} (first at line ${seen.line})` };
          handles.set(handle, { line, title });
          current = handle;
        } else if (!seen) {
          return { refuse: `variant row of handle ${handle} comes before the row with its Title` };
        } else if (handle !== current) {
          return { refuse: `handle ${handle} appears again after another product (first at line ${seen.line})` };
        }
        const options = ['Option1 Value', 'Option2 Value', 'Option3 Value'].map((h) => at(cells, h)?.trim() ?? '').filter(Boolean);
        const fields = mapped(cells);
        // Image rows carry only the handle and a picture: nothing to stock.
        if (!fields.sku?.trim() && !options.length && !at(cells, 'Variant Price')?.trim()) return { ignore: true };
        if (!fields.sku?.trim()) return { refuse: `variant of ${handle} has an empty Variant SKU` };
        const variant = options.filter((o) => o !== 'Default Title').join(' / ');
        const name = (title || handles.get(handle)!.title) + (variant ? ` - ${variant}` : '');
        const status = fields.active?.trim().toLowerCase();
        return { fields: { ...fields, name, active: status === undefined || status === '' ? undefined : status === 'archived' ? 'false' : 'true' } };
      },
    };
  }
  if (preset === 'woocommerce-products') {
    return {
      assemble(cells) {
        const bad = width(cells);
        if (bad) return bad;
        const type = at(cells, 'Type')?.trim().toLowerCase() ?? '';
        // A variable product's parent row holds no stock (its variations do); grouped and external ones hold none.
        if (/^(variable|grouped|external)\b/.test(type)) return { ignore: true };
        const fields = mapped(cells);
        if (!fields.sku?.trim()) return { refuse: `${type || 'product'} "${at(cells, 'Name') ?? ''}" has an empty SKU` };
        const published = fields.active?.trim();
        // 1 published, 0 private, -1 draft: only a private product is taken as archived.
        return { fields: { ...fields, active: published === undefined || published === '' ? undefined : published === '0' ? 'false' : 'true' } };
      },
    };
  }
  return {
    assemble(cells) {
      return width(cells) ?? { fields: mapped(cells) };
    },
  };
}
