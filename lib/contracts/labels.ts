// Label sheets and what a label page is asked for. Sizes in millimetres from the makers' templates, so the browser's
// Print (or Save as PDF) at 100 % scale and no margins lays each label on its die-cut: the page's @page size and a
// grid of fixed cells come from these figures.
import { z } from 'zod';

export type LabelSheet = {
  id: string;
  name: string;
  page: { width: number; height: number };
  columns: number;
  rows: number;
  label: { width: number; height: number };
  // Page edge to the first label, and the gaps between labels.
  margin: { top: number; left: number };
  gap: { column: number; row: number };
};

const inch = (n: number) => Math.round(n * 25.4 * 1000) / 1000;

export const labelSheets = [
  { id: 'l7160', name: 'A4 · Avery L7160 · 3 × 7 (63.5 × 38.1 mm)', page: { width: 210, height: 297 }, columns: 3, rows: 7, label: { width: 63.5, height: 38.1 }, margin: { top: 15.15, left: 7.25 }, gap: { column: 2.5, row: 0 } },
  { id: 'l7163', name: 'A4 · Avery L7163 · 2 × 7 (99.1 × 38.1 mm)', page: { width: 210, height: 297 }, columns: 2, rows: 7, label: { width: 99.1, height: 38.1 }, margin: { top: 15.15, left: 4.65 }, gap: { column: 2.5, row: 0 } },
  { id: '5160', name: 'US Letter · Avery 5160 · 3 × 10 (2⅝ × 1 in)', page: { width: inch(8.5), height: inch(11) }, columns: 3, rows: 10, label: { width: inch(2.625), height: inch(1) }, margin: { top: inch(0.5), left: inch(0.1875) }, gap: { column: inch(0.125), row: 0 } },
  { id: '5163', name: 'US Letter · Avery 5163 · 2 × 5 (4 × 2 in)', page: { width: inch(8.5), height: inch(11) }, columns: 2, rows: 5, label: { width: inch(4), height: inch(2) }, margin: { top: inch(0.5), left: inch(0.15625) }, gap: { column: inch(0.1875), row: 0 } },
] as const satisfies readonly LabelSheet[];

export type LabelSheetId = (typeof labelSheets)[number]['id'];
const sheetIds = labelSheets.map((s) => s.id) as [LabelSheetId, ...LabelSheetId[]];
export const sheetById = (id: LabelSheetId): LabelSheet => labelSheets.find((s) => s.id === id)!;
export const labelsPerSheet = (s: LabelSheet) => s.columns * s.rows;

export const MAX_COPIES = 100;
export const MAX_LABEL_ITEMS = 200;
export const MAX_LABELS = 2000;

// A repeated parameter (sku=A&sku=B) or a comma-separated one (codes=A-01,A-02), trimmed, blanks dropped.
const list = (max: number, what: string) =>
  z.preprocess(
    (v) => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).flatMap((x) => String(x).split(',')).map((x) => x.trim()).filter(Boolean)),
    z
      .array(z.string().max(200, `a ${what} is at most 200 characters`).refine((x) => !x.includes('\0'), 'must not contain the NUL character'))
      .max(max, `at most ${max} ${what}s at a time`),
  );
const blank = (v: unknown) => (v === '' || v === undefined ? undefined : Array.isArray(v) ? v[0] : v);
const count = (min: number, max: number, fallback: number, what: string) =>
  z.preprocess(blank, z.coerce.number({ error: `${what} must be a whole number` }).int(`${what} must be a whole number`).min(min, `${what} must be at least ${min}`).max(max, `${what} may be at most ${max}`).default(fallback));

const sheetOptions = {
  sheet: z.preprocess(blank, z.enum(sheetIds, { error: `must be one of ${sheetIds.join(', ')}` }).default('l7160')),
  copies: count(1, MAX_COPIES, 1, 'Copies'),
  // Labels already peeled off a sheet in use: printing starts after them.
  skip: count(0, 79, 0, 'Used labels'),
};

export const productLabelsQuerySchema = z.object({ sku: list(MAX_LABEL_ITEMS, 'SKU'), ...sheetOptions });
export type ProductLabelsQuery = z.infer<typeof productLabelsQuerySchema>;

// Bins by warehouse and code (codes=A-01-01,A-01-02 or code=… repeated), all of a warehouse's (all=1), or by
// location id (ids=12,13) from pages that hold ids.
export const binLabelsQuerySchema = z.object({
  warehouse: z.preprocess(blank, z.string().trim().max(40).optional()),
  codes: list(MAX_LABEL_ITEMS * 5, 'bin code'),
  code: list(MAX_LABEL_ITEMS * 5, 'bin code'),
  ids: list(MAX_LABEL_ITEMS * 5, 'bin id').pipe(z.array(z.string().regex(/^\d{1,9}$/, 'a bin id is a whole number'))),
  all: z.preprocess(blank, z.enum(['1', 'true']).optional()),
  ...sheetOptions,
});
export type BinLabelsQuery = z.infer<typeof binLabelsQuerySchema>;

// What a label shows. The barcode is rendered on the server (server/labels/barcode.ts) as SVG markup.
export type ProductLabel = { sku: string; name: string; barcodeText: string; symbology: string; svg: string };
export type BinLabel = { warehouse: string; warehouseName: string; code: string; kind: string; barcodeText: string; svg: string };
