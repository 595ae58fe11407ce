// What the camera's WebAssembly decoder hands the scan queue reads the way a wedge scanner's text does: the
// symbol is drawn by bwip-js, read by ZXing from its pixels, and parsed by lib/scan.ts.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import bwipjs from 'bwip-js/node';
import { describe, expect, it } from 'vitest';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import { gtinCheckDigit, parseScan } from '@/lib/scan';
import { scannedText } from './zxing-decoder';

// The decoder module points the .wasm at the app's own route; here it is read from node_modules.
prepareZXingModule({ overrides: { wasmBinary: fs.readFileSync(createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm')).buffer as ArrayBuffer } });

async function read(bcid: string, text: string) {
  const png = await bwipjs.toBuffer({ bcid, text, scale: 4, paddingwidth: 10, paddingheight: 10, backgroundcolor: 'FFFFFF' });
  const [found] = await readBarcodes(new Uint8Array(png), { textMode: 'Plain', formats: ['EAN-13', 'Code128', 'DataMatrix'] });
  return parseScan(scannedText(found));
}

describe('camera reads through the scan parser', () => {
  const body = '501234567890';
  const ean = body + gtinCheckDigit(body);

  it('an EAN-13 is its GTIN', async () => {
    expect(await read('ean13', ean)).toMatchObject({ code: ean, gtin: `0${ean}`, gs1: null });
  });

  it('a GS1 DataMatrix keeps its separators: lot, quantity and GTIN come out by Application Identifier', async () => {
    const scan = await read('gs1datamatrix', `(01)0${ean}(10)LOT7(30)5`);
    expect(scan.symbology).toBe(']d2');
    expect(scan.gtin).toBe(`0${ean}`);
    expect(scan.gs1).toMatchObject({ lot: 'LOT7', qty: 5 });
  });

  it('a Code 128 bin label is its text', async () => {
    expect(await read('code128', 'A-01-03')).toMatchObject({ code: 'A-01-03', gtin: null, gs1: null });
  });
});
