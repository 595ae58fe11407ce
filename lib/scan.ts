// What a scanner sent, made comparable: symbology prefixes stripped, GS1 element strings split by Application
// Identifier, and EAN-13 / UPC-A / EAN-8 / GTIN-14 normalised to the 14-digit GTIN products.barcodes holds.
// Shared by the browser (floor screens) and the server (scan lookups), so both read a code the same way.

export const GS = '\x1d';

export type Gs1 = {
  ais: Record<string, string>;
  gtin?: string;
  lot?: string;
  serial?: string;
  // ISO date (YYYY-MM-DD) from AI (17).
  expiry?: string;
  // Units from AI (30) or (37).
  qty?: number;
};

export type Scan = {
  raw: string;
  // The data without prefix and control characters: what a SKU, bin or order lookup compares.
  code: string;
  symbology: string | null;
  // A 14-digit GTIN with a valid check digit, from a plain barcode or from AI (01).
  gtin: string | null;
  // Digits of a barcode's length whose check digit is wrong: a misread, worth a rescan.
  badCheckDigit: boolean;
  gs1: Gs1 | null;
};

export type ScanOptions = {
  // The character a scanner sends for the GS1 separator (FNC1) when it cannot send ASCII 29: scanners differ.
  gs?: string;
};

// Symbology identifiers (ISO/IEC 15424) that announce GS1 data: GS1-128, DataBar, DataMatrix, QR, DotCode.
const GS1_SYMBOLOGIES = new Set([']C1', ']e0', ']e1', ']e2', ']d2', ']Q3', ']J1']);

export function gtinCheckDigit(body: string): number {
  let sum = 0;
  // Weights alternate 3, 1, … counted from the rightmost data digit, so any length works unpadded.
  for (let i = body.length - 1, w = 3; i >= 0; i--, w = w === 3 ? 1 : 3) sum += Number(body[i]) * w;
  return (10 - (sum % 10)) % 10;
}

export function hasValidCheckDigit(digits: string): boolean {
  if (!/^\d{2,18}$/.test(digits)) return false;
  return gtinCheckDigit(digits.slice(0, -1)) === Number(digits[digits.length - 1]);
}

// EAN-8, UPC-A (12), EAN-13 and GTIN-14 to 14 digits; null if it is not one or the check digit is wrong.
export function normalizeGtin(code: string): string | null {
  const digits = code.trim();
  if (!/^(\d{8}|\d{12}|\d{13}|\d{14})$/.test(digits)) return null;
  if (!hasValidCheckDigit(digits)) return null;
  return digits.padStart(14, '0');
}

export function stripSymbology(s: string): { symbology: string | null; data: string } {
  const m = /^\][A-Za-z][0-9A-Za-z]/.exec(s);
  return m ? { symbology: m[0], data: s.slice(3) } : { symbology: null, data: s };
}

// AI data lengths: fixed ones, else a maximum for variable fields that end at GS or at the end of the data.
type AiSpec = { fixed?: number; max?: number };
const AI2: Record<string, AiSpec> = {
  '00': { fixed: 18 },
  '01': { fixed: 14 },
  '02': { fixed: 14 },
  '10': { max: 20 },
  '11': { fixed: 6 },
  '12': { fixed: 6 },
  '13': { fixed: 6 },
  '15': { fixed: 6 },
  '16': { fixed: 6 },
  '17': { fixed: 6 },
  '20': { fixed: 2 },
  '21': { max: 20 },
  '22': { max: 20 },
  '30': { max: 8 },
  '37': { max: 8 },
  '90': { max: 30 },
  '91': { max: 90 },
  '92': { max: 90 },
  '93': { max: 90 },
  '94': { max: 90 },
  '95': { max: 90 },
  '96': { max: 90 },
  '97': { max: 90 },
  '98': { max: 90 },
  '99': { max: 90 },
};
const AI3: Record<string, AiSpec> = {
  '235': { max: 28 },
  '240': { max: 30 },
  '241': { max: 30 },
  '242': { max: 6 },
  '243': { max: 20 },
  '250': { max: 30 },
  '251': { max: 30 },
  '253': { max: 30 },
  '254': { max: 20 },
  '400': { max: 30 },
  '401': { max: 30 },
  '402': { fixed: 17 },
  '403': { max: 30 },
  '410': { fixed: 13 },
  '411': { fixed: 13 },
  '412': { fixed: 13 },
  '413': { fixed: 13 },
  '414': { fixed: 13 },
  '415': { fixed: 13 },
  '416': { fixed: 13 },
  '417': { fixed: 13 },
  '420': { max: 20 },
  '421': { max: 12 },
  '422': { fixed: 3 },
};

// The AI at the start of s and its spec. Measures (31nn–36nn) and 7nnn/8nnn have four-digit AIs.
function aiAt(s: string): { ai: string; spec: AiSpec } | null {
  const two = s.slice(0, 2);
  if (/^3[1-6]$/.test(two) && /^\d{4}$/.test(s.slice(0, 4))) return { ai: s.slice(0, 4), spec: { fixed: 6 } };
  if (/^39[0-3]\d$/.test(s.slice(0, 4))) return { ai: s.slice(0, 4), spec: { max: 15 } };
  if (s.slice(0, 4) === '7003') return { ai: '7003', spec: { fixed: 10 } };
  if (/^(7|8)\d{3}$/.test(s.slice(0, 4))) return { ai: s.slice(0, 4), spec: { max: 30 } };
  if (AI2[two]) return { ai: two, spec: AI2[two] };
  const three = s.slice(0, 3);
  if (AI3[three]) return { ai: three, spec: AI3[three] };
  return null;
}

// An unbracketed element string, fields after variable ones ended by GS. Null if it does not parse completely.
export function parseElementString(data: string): Record<string, string> | null {
  const out: Record<string, string> = {};
  let pos = 0;
  if (data.startsWith(GS)) pos = 1; // a leading FNC1 some scanners transmit
  while (pos < data.length) {
    const found = aiAt(data.slice(pos));
    if (!found) return null;
    pos += found.ai.length;
    let value: string;
    if (found.spec.fixed) {
      value = data.slice(pos, pos + found.spec.fixed);
      if (value.length !== found.spec.fixed || value.includes(GS)) return null;
      pos += found.spec.fixed;
    } else {
      const end = data.indexOf(GS, pos);
      value = data.slice(pos, end === -1 ? data.length : end);
      if (!value.length || value.length > (found.spec.max ?? 90)) return null;
      pos += value.length;
    }
    if (data[pos] === GS) pos++;
    out[found.ai] = value;
  }
  return Object.keys(out).length ? out : null;
}

// The human-readable form, "(01)05012345678900(10)LOT7": typed by hand or sent by some scanners.
export function parseBracketed(data: string): Record<string, string> | null {
  if (!/^\(\d{2,4}\)/.test(data)) return null;
  const out: Record<string, string> = {};
  const re = /\((\d{2,4})\)([^(]*)/g;
  let consumed = 0;
  for (let m = re.exec(data); m; m = re.exec(data)) {
    out[m[1]] = m[2].replaceAll(GS, '');
    consumed += m[0].length;
  }
  return consumed === data.length ? out : null;
}

// YYMMDD with GS1's century rule (within 49 years back and 50 ahead); day 00 means the month's last day.
export function gs1Date(yymmdd: string, today = new Date()): string | null {
  if (!/^\d{6}$/.test(yymmdd)) return null;
  const yy = Number(yymmdd.slice(0, 2));
  const mm = Number(yymmdd.slice(2, 4));
  let dd = Number(yymmdd.slice(4, 6));
  if (mm < 1 || mm > 12) return null;
  const current = today.getUTCFullYear();
  let year = Math.floor(current / 100) * 100 + yy;
  if (year - current > 50) year -= 100;
  else if (current - year > 49) year += 100;
  const last = new Date(Date.UTC(year, mm, 0)).getUTCDate();
  if (dd === 0) dd = last;
  if (dd > last) return null;
  return `${year}-${String(mm).padStart(2, '0')}-${String(dd).padStart(2, '0')}`;
}

function gs1From(ais: Record<string, string>): Gs1 {
  const out: Gs1 = { ais };
  const gtin = ais['01'] ?? ais['02'];
  if (gtin && hasValidCheckDigit(gtin)) out.gtin = gtin;
  if (ais['10']) out.lot = ais['10'];
  if (ais['21']) out.serial = ais['21'];
  if (ais['17']) out.expiry = gs1Date(ais['17']) ?? undefined;
  const qty = ais['30'] ?? ais['37'];
  if (qty && /^\d+$/.test(qty)) out.qty = Number(qty);
  return out;
}

export function parseScan(raw: string, opts: ScanOptions = {}): Scan {
  // Suffixes (CR, LF, Tab, EOT) may reach us when a scanner is set to send two; they are never data.
  let s = raw.replace(/^[\r\n\t\x04 ]+|[\r\n\t\x04 ]+$/g, '');
  const { symbology, data } = stripSymbology(s);
  s = opts.gs && opts.gs !== GS ? data.split(opts.gs).join(GS) : data;
  const announced = symbology !== null && GS1_SYMBOLOGIES.has(symbology);
  const ais =
    parseBracketed(s) ??
    (announced || s.includes(GS) || (/^(00|01|02)\d/.test(s) && s.length > 14) ? parseElementString(s) : null);
  if (ais && (announced || s.startsWith('(') || s.includes(GS) || ais['01'] || ais['02'] || ais['00'])) {
    const gs1 = gs1From(ais);
    return { raw, code: s.replaceAll(GS, ''), symbology, gtin: gs1.gtin ?? null, badCheckDigit: Boolean(ais['01'] && !gs1.gtin), gs1 };
  }
  const code = s.replaceAll(GS, '');
  const gtin = normalizeGtin(code);
  const badCheckDigit = gtin === null && /^(\d{8}|\d{12}|\d{13}|\d{14})$/.test(code);
  return { raw, code, symbology, gtin, badCheckDigit, gs1: null };
}
