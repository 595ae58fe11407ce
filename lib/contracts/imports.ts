// CSV imports as they cross the wire: what kinds of file there are, the fields each maps its columns to, the
// presets for other systems' exports, and the report a dry run or an apply answers with.
import { z } from 'zod';

export const importKinds = ['products', 'locations', 'stock'] as const;
export type ImportKind = (typeof importKinds)[number];
export const importKindLabels: Record<ImportKind, string> = {
  products: 'Products',
  locations: 'Bins (locations)',
  stock: 'Opening stock / count results',
};

export type ImportField = { key: string; label: string; required: boolean };

// `required`: the column (or a fixed value) must be there for the file to be read at all.
export const importFields: Record<ImportKind, ImportField[]> = {
  products: [
    { key: 'sku', label: 'SKU', required: true },
    { key: 'name', label: 'Name', required: false },
    { key: 'barcodes', label: 'Barcodes (GTINs, separated by | or ;)', required: false },
    { key: 'unit', label: 'Unit', required: false },
    { key: 'lowStockThreshold', label: 'Low-stock threshold', required: false },
    { key: 'leadTimeDays', label: 'Lead time (days)', required: false },
    { key: 'active', label: 'Active', required: false },
  ],
  locations: [
    { key: 'warehouse', label: 'Warehouse code', required: true },
    { key: 'code', label: 'Bin code', required: true },
    { key: 'kind', label: 'Kind', required: false },
    { key: 'sellable', label: 'Sellable', required: false },
    { key: 'pickOrder', label: 'Pick order', required: false },
    { key: 'active', label: 'Active', required: false },
  ],
  stock: [
    { key: 'sku', label: 'SKU', required: true },
    { key: 'warehouse', label: 'Warehouse code', required: true },
    { key: 'bin', label: 'Bin code', required: true },
    { key: 'quantity', label: 'Quantity on hand', required: true },
  ],
};

export const importPresets = ['columns', 'shopify-products', 'shopify-inventory', 'woocommerce-products'] as const;
export type ImportPreset = (typeof importPresets)[number];
export const importPresetLabels: Record<ImportPreset, string> = {
  columns: 'Columns as mapped',
  'shopify-products': "Shopify's product export",
  'shopify-inventory': "Shopify's inventory export",
  'woocommerce-products': "WooCommerce's product export",
};

// Which column feeds each field, and fields given one value for every row (a bin for a file that has none).
export const columnMappingSchema = z.object({
  columns: z.record(z.string(), z.string().max(200)).default({}),
  fixed: z.record(z.string(), z.string().max(200)).default({}),
});
export type ColumnMapping = z.infer<typeof columnMappingSchema>;

export const MAX_IMPORT_MB = 200;
// How many rows of each outcome a report lists; the counts cover the whole file.
export const REPORT_SAMPLE = 100;

const fieldChange = z.object({ field: z.string(), from: z.unknown(), to: z.unknown() });
export const importReportSchema = z
  .object({
    kind: z.enum(importKinds),
    preset: z.enum(importPresets),
    dryRun: z.boolean(),
    applied: z.boolean().meta({ description: 'true once the whole file is written; a refused row or a broken file writes nothing.' }),
    headers: z.array(z.string()),
    headerHash: z.string(),
    mapping: columnMappingSchema,
    rows: z.number().int().meta({ description: 'Data rows read (the header row not counted).' }),
    counts: z.object({ new: z.number().int(), changed: z.number().int(), unchanged: z.number().int(), refused: z.number().int(), ignored: z.number().int() }),
    new: z.array(z.object({ line: z.number().int(), key: z.string(), values: z.record(z.string(), z.unknown()) })),
    changed: z.array(z.object({ line: z.number().int(), key: z.string(), changes: z.array(fieldChange) })),
    refused: z.array(z.object({ line: z.number().int().nullable(), key: z.string().nullable(), reason: z.string() })),
    // A file that cannot be read at all (not UTF-8, an open quote, a missing column, too large): nothing else applies.
    fatal: z.string().nullable(),
  })
  .meta({ id: 'ImportReport' });
export type ImportReport = z.infer<typeof importReportSchema>;

// What the dashboard's upload streams back: progress lines, then the report.
export type ImportProgressLine = { progress: { rows: number; bytes: number } } | { report: ImportReport } | { error: string };

// The query string of an upload (POST /api/v1/imports and the dashboard's own upload): the body is the CSV file.
export const importQuery = z.object({
  kind: z.enum(importKinds, { error: `must be one of ${importKinds.join(', ')}` }).meta({ description: 'What the file holds.' }),
  dryRun: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .default('true')
    .transform((v) => v === 'true')
    .meta({ description: 'true (default): report what would change and write nothing. false: apply the whole file, or nothing if any row is refused.' }),
  preset: z.enum(importPresets, { error: `must be one of ${importPresets.join(', ')}` }).optional().meta({ description: "Another system's export; detected from the header row when omitted." }),
  mapping: z
    .string()
    .max(4000)
    .transform((v, ctx) => {
      try {
        const parsed = columnMappingSchema.safeParse(JSON.parse(v));
        if (parsed.success) return parsed.data;
      } catch {}
      ctx.addIssue({ code: 'custom', message: 'must be JSON: {"columns": {"sku": "Item code", ...}, "fixed": {"bin": "A-01"}}' });
      return z.NEVER;
    })
    .optional()
    .meta({ description: 'JSON {columns: {field: header}, fixed: {field: value}}; omitted: the mapping remembered for this header row, else the preset, else headers named like the fields.' }),
  reference: z.string().trim().max(200).optional().meta({ description: 'Shown on the ledger rows of a stock import (the file name).' }),
});
