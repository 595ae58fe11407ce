// CSV as RFC 4180 has it: fields with a comma, quote, CR or LF are quoted, quotes doubled, records end in CRLF.
// Text that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) is prefixed with ' (OWASP CSV injection).
export type Cell = string | number | boolean | null | undefined;

// The one rule for what a spreadsheet would run: exports neutralise such text, imports refuse it.
export const looksLikeFormula = (v: string) => /^[=+\-@\t\r]/.test(v);
export const neutraliseFormula = (v: string) => (looksLikeFormula(v) ? `'${v}` : v);

export function csvField(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v !== 'string') return String(v);
  const safe = neutraliseFormula(v);
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(header: string[], rows: Cell[][]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

// One record with its CRLF, for files written a batch at a time.
export function csvLine(cells: Cell[]): string {
  return cells.map(csvField).join(',') + '\r\n';
}
