// Bin codes by pattern: each segment is a range (A-C, 01-10) or a list (A,B,D; 1-3,7), and the codes are every
// combination, first segment slowest (A-01-1, A-01-2, … A-01-4, A-02-1, …), which is also a natural pick path.
// Shared by the server (the create and its preview) and the browser (the form's hints), so both read a pattern alike.
export const MAX_PATTERN_SEGMENTS = 4;
export const MAX_PATTERN_BINS = 2000;
export const PATTERN_SEPARATORS = ['-', '.', '/', '_', ''] as const;

export type BinPattern = { segments: string[]; separator: string };
export type ExpandedPattern = { ok: true; codes: string[] } | { ok: false; fields: Record<string, string[]> };

const LETTER_RANGE = /^([A-Za-z])\s*-\s*([A-Za-z])$/;
const NUMBER_RANGE = /^(\d{1,6})\s*-\s*(\d{1,6})$/;
const LITERAL = /^[\p{L}\p{N}]+$/u;

// One segment's values in order, or the reason it cannot be read.
export function segmentValues(text: string): string[] | string {
  const parts = text.split(',').map((p) => p.trim());
  if (!text.trim()) return 'give a range (A-C, 01-10) or a list (A,B,D)';
  const out: string[] = [];
  for (const part of parts) {
    if (!part) return 'a list item is empty';
    const letters = LETTER_RANGE.exec(part);
    const numbers = NUMBER_RANGE.exec(part);
    if (letters) {
      const [from, to] = [letters[1], letters[2]];
      if ((from === from.toUpperCase()) !== (to === to.toUpperCase())) return `${part}: both ends in the same letter case`;
      if (from > to) return `${part} runs backwards`;
      for (let c = from.charCodeAt(0); c <= to.charCodeAt(0); c++) out.push(String.fromCharCode(c));
    } else if (numbers) {
      const [from, to] = [Number(numbers[1]), Number(numbers[2])];
      if (from > to) return `${part} runs backwards`;
      // 01-10 keeps two digits; 1-10 writes the numbers as they are.
      const width = numbers[1].length;
      if (to - from >= MAX_PATTERN_BINS) return `${part} has more than ${MAX_PATTERN_BINS.toLocaleString('en')} values`;
      for (let n = from; n <= to; n++) out.push(String(n).padStart(width, '0'));
    } else if (LITERAL.test(part)) {
      out.push(part);
    } else {
      return `${part} is neither a range (A-C, 01-10) nor letters and digits`;
    }
  }
  const twice = out.find((v, i) => out.indexOf(v) !== i);
  return twice === undefined ? out : `${twice} is listed twice`;
}

export function expandPattern(p: BinPattern): ExpandedPattern {
  const fields: Record<string, string[]> = {};
  const segments = p.segments.map((s) => s.trim());
  // Trailing blank segments are unused; a blank one in the middle is a mistake.
  while (segments.length > 1 && !segments[segments.length - 1]) segments.pop();
  if (segments.length > MAX_PATTERN_SEGMENTS) fields.segments = [`at most ${MAX_PATTERN_SEGMENTS} segments`];
  if (!(PATTERN_SEPARATORS as readonly string[]).includes(p.separator)) fields.separator = [`must be one of ${PATTERN_SEPARATORS.map((s) => s || 'none').join(' ')}`];
  const values = segments.map((s, n) => {
    const v = segmentValues(s);
    if (typeof v === 'string') fields[`segments.${n}`] = [v];
    return typeof v === 'string' ? [] : v;
  });
  if (Object.keys(fields).length) return { ok: false, fields };
  const total = values.reduce((n, v) => n * v.length, 1);
  if (total > MAX_PATTERN_BINS) {
    return { ok: false, fields: { segments: [`makes ${total.toLocaleString('en')} bins; at most ${MAX_PATTERN_BINS.toLocaleString('en')} at once`] } };
  }
  let codes = [''];
  for (const [n, v] of values.entries()) codes = codes.flatMap((prefix) => v.map((x) => (n === 0 ? x : `${prefix}${p.separator}${x}`)));
  const long = codes.find((c) => c.length > 64);
  if (long) return { ok: false, fields: { segments: [`${long} is longer than 64 characters`] } };
  return { ok: true, codes };
}
