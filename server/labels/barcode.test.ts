// A printed label scans back: each label's barcode, rendered by the same function the label page uses, is read by
// an independent decoder (ZXing, compiled to WebAssembly) from a PNG, and the decoded text finds the product or the
// bin through the app's own scan lookup.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import { products } from '@/db/schema';
import { gtinCheckDigit, normalizeGtin } from '@/lib/scan';
import { lookupScan } from '@/server/inventory/read/scan-lookup';
import { makeWorld, testConnection, type World } from '@/server/testing/fixtures';
import { barcodePng, barcodeSvg, binBarcode, productBarcode, type BarcodeSpec } from './barcode';

// The decoder's WebAssembly from node_modules, not from its default CDN: tests run offline.
prepareZXingModule({ overrides: { wasmBinary: fs.readFileSync(createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm')).buffer as ArrayBuffer } });

const conn = testConnection(2);
let w: World;
beforeAll(async () => {
  w = await makeWorld(conn, { bins: ['A-01-03', 'PICK-07'], products: 5 });
});
afterAll(() => conn.close());

// A random GTIN of the given length with a correct check digit: each run has codes no other test uses.
function gtin(length: number, lead = ''): string {
  const body = (lead + Array.from({ length: length - 1 - lead.length }, () => Math.floor(Math.random() * 10)).join('')).slice(0, length - 1);
  return body + gtinCheckDigit(body);
}

async function scanBack(spec: BarcodeSpec): Promise<{ text: string; format: string }> {
  const png = await barcodePng(spec);
  const [found, ...more] = await readBarcodes(new Uint8Array(png), { tryHarder: true, formats: ['EAN-13', 'EAN-8', 'UPC-A', 'ITF', 'Code128'] });
  expect(more, 'one barcode per label').toEqual([]);
  expect(found?.isValid, `${spec.symbology} ${spec.text} decodes`).toBe(true);
  return { text: found.text, format: found.format };
}

describe('labels scan back to what they label', () => {
  // What the decoder reports: a UPC-A's bars are an EAN-13's with a leading 0, and it may say either.
  const cases: [string, () => string | null, BarcodeSpec['symbology'], RegExp][] = [
    ['EAN-13', () => gtin(13, '5'), 'ean13', /^EAN13$/],
    ['UPC-A', () => gtin(12, '7'), 'upca', /^(UPCA|EAN13)$/],
    ['EAN-8', () => gtin(8, '9'), 'ean8', /^EAN8$/],
    ['GTIN-14 (a case)', () => gtin(14, '1'), 'itf14', /^ITF$/],
    ['no GTIN: the SKU', () => null, 'code128', /^Code128$/],
  ];

  cases.forEach(([what, make, symbology, format], i) => {
    it(`a product with ${what}`, async () => {
      const sku = w.skus[i];
      const code = make();
      const stored = code ? [normalizeGtin(code)!] : [];
      await conn.db.update(products).set({ barcodes: stored }).where(eq(products.sku, sku));

      const spec = productBarcode({ sku, barcodes: stored });
      expect(spec.symbology).toBe(symbology);
      expect(barcodeSvg(spec)).toMatch(/^<svg [^>]*viewBox=/);
      const read = await scanBack(spec);
      expect(read.format).toMatch(format);
      expect(code ? normalizeGtin(read.text) : read.text).toBe(code ? stored[0] : sku);
      const match = await lookupScan(conn.db, { code: read.text });
      expect(match.kind === 'product' && match.product.sku).toBe(sku);
    });
  });

  it('a bin, from any warehouse screen: the label carries its warehouse', async () => {
    for (const bin of ['A-01-03', 'PICK-07']) {
      const spec = binBarcode({ warehouse: w.warehouse, code: bin });
      const read = await scanBack(spec);
      expect(read.format).toBe('Code128');
      expect(read.text).toBe(`${w.warehouse}:${bin}`);
      const match = await lookupScan(conn.db, { code: read.text });
      expect(match.kind === 'location' && [match.location.warehouse, match.location.code]).toEqual([w.warehouse, bin]);
      // And with another warehouse chosen on the screen, still this one.
      const elsewhere = await lookupScan(conn.db, { code: read.text, warehouse: 'NOT-THIS-ONE' });
      expect(elsewhere.kind === 'location' && elsewhere.location.code).toBe(bin);
    }
  });
});
