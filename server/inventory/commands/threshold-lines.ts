// The bulk threshold edit as managers paste it: one product per line, "SKU, threshold[, reorder quantity]",
// separated by commas, semicolons or tabs (a spreadsheet's copied cells). A header row and blank lines are skipped.
import '#server-only';
import { z } from 'zod';
import { warehouseCode } from '../kernel/schemas';

export type ThresholdLine = { sku: string; threshold: number; reorderQty?: number };
export type ParsedLines = { items: ThresholdLine[]; errors: string[] };

const MAX_LINES = 1000;
const whole = (s: string | undefined) => (s !== undefined && /^\d{1,7}$/.test(s) ? Number(s) : null);

export function parseThresholdLines(text: string): ParsedLines {
  const items: ThresholdLine[] = [];
  const errors: string[] = [];
  const seen = new Map<string, number>();
  const lines = text.split(/\r\n|\r|\n/);
  lines.forEach((raw, i) => {
    const n = i + 1;
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const cells = line.split(/[,;\t]/).map((c) => c.trim());
    if (i === 0 && /^sku$/i.test(cells[0])) return;
    const [sku, t, r, ...rest] = cells;
    if (!sku || !/^[\p{L}\p{N}._\-/ ]{1,64}$/u.test(sku)) return void errors.push(`Line ${n}: "${sku ?? ''}" is not a SKU.`);
    if (rest.some((c) => c !== '')) return void errors.push(`Line ${n}: expected SKU, threshold and an optional reorder quantity.`);
    const threshold = whole(t);
    if (threshold === null) return void errors.push(`Line ${n}: the threshold for ${sku} must be a whole number of at least 0.`);
    const reorderQty = r === undefined || r === '' ? undefined : whole(r);
    if (reorderQty === null) return void errors.push(`Line ${n}: the reorder quantity for ${sku} must be a whole number of at least 0.`);
    if (seen.has(sku)) return void errors.push(`Line ${n}: ${sku} is already on line ${seen.get(sku)}.`);
    seen.set(sku, n);
    items.push(reorderQty === undefined ? { sku, threshold } : { sku, threshold, reorderQty });
  });
  if (items.length + errors.length > MAX_LINES) errors.unshift(`At most ${MAX_LINES} lines at once.`);
  if (!items.length && !errors.length) errors.push('Paste at least one line: SKU, threshold, reorder quantity.');
  return { items, errors };
}

// The bulk form: an empty warehouse means the products' defaults; the lines become items or per-line errors.
export const bulkThresholdsForm = z
  .object({
    warehouse: z.preprocess((v) => (v === '' ? undefined : v), warehouseCode.optional()),
    lines: z.string().max(200_000, 'paste at most 1,000 lines'),
  })
  .transform((f, ctx) => {
    const parsed = parseThresholdLines(f.lines);
    for (const message of parsed.errors) ctx.addIssue({ code: 'custom', path: ['lines'], message });
    return { warehouse: f.warehouse, items: parsed.items };
  });
