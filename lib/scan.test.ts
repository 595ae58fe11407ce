import { describe, expect, it } from 'vitest';
import { GS, gs1Date, gtinCheckDigit, hasValidCheckDigit, normalizeGtin, parseBracketed, parseElementString, parseScan, stripSymbology } from './scan';

describe('check digits', () => {
  it('computes the GS1 mod-10 check digit for every GTIN length', () => {
    expect(gtinCheckDigit('400638133393')).toBe(1); // EAN-13 4006381333931
    expect(gtinCheckDigit('03600029145')).toBe(2); // UPC-A 036000291452
    expect(gtinCheckDigit('9638507')).toBe(4); // EAN-8 96385074
    expect(gtinCheckDigit('1001234500001')).toBe(7); // GTIN-14 10012345000017
  });

  it('accepts valid codes and refuses a single wrong digit', () => {
    expect(hasValidCheckDigit('4006381333931')).toBe(true);
    expect(hasValidCheckDigit('4006381333932')).toBe(false);
    expect(hasValidCheckDigit('036000291452')).toBe(true);
    expect(hasValidCheckDigit('96385074')).toBe(true);
    expect(hasValidCheckDigit('abc')).toBe(false);
  });
});

describe('normalizeGtin', () => {
  it('pads EAN-13, UPC-A and EAN-8 to 14 digits', () => {
    expect(normalizeGtin('4006381333931')).toBe('04006381333931');
    expect(normalizeGtin('036000291452')).toBe('00036000291452');
    expect(normalizeGtin('96385074')).toBe('00000096385074');
    expect(normalizeGtin('10012345000017')).toBe('10012345000017');
  });

  it('gives the same GTIN for a UPC-A and its EAN-13 form', () => {
    expect(normalizeGtin('036000291452')).toBe(normalizeGtin('0036000291452'));
  });

  it('refuses wrong lengths, letters and bad check digits', () => {
    expect(normalizeGtin('4006381333932')).toBeNull();
    expect(normalizeGtin('12345')).toBeNull();
    expect(normalizeGtin('40063813339311')).toBeNull();
    expect(normalizeGtin('MUG-BLU-CE1')).toBeNull();
    expect(normalizeGtin('1234567890')).toBeNull();
  });
});

describe('symbology prefixes', () => {
  it('strips ]C1, ]d2, ]Q3, ]E0 and leaves plain data alone', () => {
    expect(stripSymbology(']C1010501234567890')).toEqual({ symbology: ']C1', data: '010501234567890' });
    expect(stripSymbology(']d2abc')).toEqual({ symbology: ']d2', data: 'abc' });
    expect(stripSymbology(']Q3x')).toEqual({ symbology: ']Q3', data: 'x' });
    expect(stripSymbology(']E04006381333931').data).toBe('4006381333931');
    expect(stripSymbology('A-01-03')).toEqual({ symbology: null, data: 'A-01-03' });
  });

  it('reads an EAN-13 sent with its ]E0 prefix as the same GTIN', () => {
    const s = parseScan(']E04006381333931');
    expect(s.gtin).toBe('04006381333931');
    expect(s.symbology).toBe(']E0');
  });
});

describe('GS1 element strings', () => {
  const gtin = '05012345678900';
  it('parses fixed and variable AIs with GS separators', () => {
    const data = `01${gtin}10LOT-7${GS}17261231` + `30${'12'}`;
    expect(parseElementString(data)).toEqual({ '01': gtin, '10': 'LOT-7', '17': '261231', '30': '12' });
  });

  it('parses the bracketed human-readable form', () => {
    expect(parseBracketed(`(01)${gtin}(10)ABC(30)5`)).toEqual({ '01': gtin, '10': 'ABC', '30': '5' });
    expect(parseBracketed('A-01-03')).toBeNull();
  });

  it('refuses strings that do not parse to the end', () => {
    expect(parseElementString('01123')).toBeNull();
    expect(parseElementString('ZZ')).toBeNull();
  });

  it('reads AI (01) as the GTIN, (10) lot, (17) expiry and (30) quantity from a GS1-128 scan', () => {
    const s = parseScan(`]C101${gtin}17260200${'10'}B12${GS}3024`);
    expect(s.symbology).toBe(']C1');
    expect(s.gtin).toBe(gtin);
    expect(s.gs1).toMatchObject({ lot: 'B12', expiry: '2026-02-28', qty: 24 });
  });

  it('reads a GS1 DataMatrix (]d2) with a leading FNC1 and a measure AI', () => {
    const s = parseScan(`]d2${GS}01${gtin}3103000750${'21'}SER9`);
    expect(s.gtin).toBe(gtin);
    expect(s.gs1?.ais['3103']).toBe('000750');
    expect(s.gs1?.serial).toBe('SER9');
  });

  it('takes a configurable stand-in for GS, for scanners that cannot send ASCII 29', () => {
    const s = parseScan(`01${gtin}10L1|3012`, { gs: '|' });
    expect(s.gs1).toMatchObject({ lot: 'L1', qty: 12 });
  });

  it('flags an AI (01) whose check digit is wrong', () => {
    const s = parseScan(`]C10105012345678901`);
    expect(s.gtin).toBeNull();
    expect(s.badCheckDigit).toBe(true);
  });

  it('expands dates with GS1 century rules and day 00', () => {
    const today = new Date('2026-06-01T00:00:00Z');
    expect(gs1Date('270300', today)).toBe('2027-03-31');
    expect(gs1Date('991231', today)).toBe('1999-12-31');
    expect(gs1Date('761231', today)).toBe('2076-12-31');
    expect(gs1Date('251301', today)).toBeNull();
  });
});

describe('parseScan', () => {
  it('normalises a plain EAN-13 and trims suffixes that leaked into the data', () => {
    const s = parseScan('4006381333931\r\n');
    expect(s).toMatchObject({ code: '4006381333931', gtin: '04006381333931', badCheckDigit: false, gs1: null });
    expect(parseScan('4006381333931\x04').gtin).toBe('04006381333931');
  });

  it('flags a misread barcode by its check digit', () => {
    expect(parseScan('4006381333932')).toMatchObject({ gtin: null, badCheckDigit: true });
  });

  it('leaves SKUs, bins and order numbers as codes', () => {
    expect(parseScan('MUG-BLU-CE1')).toMatchObject({ code: 'MUG-BLU-CE1', gtin: null, badCheckDigit: false, gs1: null });
    expect(parseScan('P-01-03').code).toBe('P-01-03');
    expect(parseScan('PO-1001').code).toBe('PO-1001');
  });

  it('does not mistake a 14-digit GTIN starting with 01 for an element string', () => {
    const code = `01${'234567890'}12`;
    const withCheck = code.slice(0, 13) + gtinCheckDigit(code.slice(0, 13));
    expect(parseScan(withCheck).gtin).toBe(withCheck);
    expect(parseScan(withCheck).gs1).toBeNull();
  });
});

describe('matching a scan with a task', async () => {
  const { isBin, isProduct, unitsOf } = await import('./scan-match');
  const product = { sku: 'MUG-BLU-CE1', barcodes: ['04006381333931'] };
  it('matches a product by any barcode form or its SKU, and nothing else', () => {
    expect(isProduct(parseScan('4006381333931'), product)).toBe(true);
    expect(isProduct(parseScan(']E04006381333931'), product)).toBe(true);
    expect(isProduct(parseScan(`(01)04006381333931(30)6`), product)).toBe(true);
    expect(isProduct(parseScan('mug-blu-ce1'), product)).toBe(true);
    expect(isProduct(parseScan('4006381333932'), product)).toBe(false);
    expect(isProduct(parseScan('P-01-03'), product)).toBe(false);
  });
  it('matches a bin by its code or its warehouse-qualified label', () => {
    const bin = { warehouse: 'MAIN', location: 'P-01-03' };
    expect(isBin(parseScan('P-01-03'), bin)).toBe(true);
    expect(isBin(parseScan('main:p-01-03'), bin)).toBe(true);
    expect(isBin(parseScan('EAST:P-01-03'), bin)).toBe(false);
    expect(isBin(parseScan('P-01-04'), bin)).toBe(false);
  });
  it('counts a GS1 quantity as that many units', () => {
    expect(unitsOf(parseScan('(01)04006381333931(30)6'))).toBe(6);
    expect(unitsOf(parseScan('4006381333931'))).toBe(1);
  });
});

describe('patching a cached product with a level change', async () => {
  const { patchProductLevel } = await import('./level-patch');
  const level = { productId: 1, locationId: 10, warehouse: 'MAIN', location: 'P-01-01', locationKind: 'pick', sellable: true, onHand: 5, reserved: 1, available: 4, version: 3, updatedAt: '', lastCountedAt: null };
  const data = { product: { id: 1, sku: 'A', name: 'A', unit: 'each', barcodes: [], threshold: 0, reorderQty: 0 }, levels: [level], totals: { onHand: 5, reserved: 1, available: 4 }, incoming: [] };
  it('applies the next version, ignores stale ones and reports a gap', () => {
    const next = patchProductLevel(data, { productId: 1, locationId: 10, onHand: 8, reserved: 1, version: 4 });
    expect(next.kind).toBe('applied');
    if (next.kind === 'applied') expect(next.data.totals).toEqual({ onHand: 8, reserved: 1, available: 7 });
    expect(patchProductLevel(data, { productId: 1, locationId: 10, onHand: 8, reserved: 1, version: 3 }).kind).toBe('stale');
    expect(patchProductLevel(data, { productId: 1, locationId: 10, onHand: 8, reserved: 1, version: 6 }).kind).toBe('gap');
    expect(patchProductLevel(data, { productId: 1, locationId: 11, onHand: 1, reserved: 0, version: 1 }).kind).toBe('gap');
  });
});
