// The barcodes labels carry, rendered by bwip-js (Barcode Writer in Pure PostScript, run in JavaScript): SVG for the
// printable page, PNG for the test that scans a label back. Both come from the same options, so what is tested is
// what is printed.
import '#server-only';
import bwipjs, { type RenderOptions } from 'bwip-js/node';

export type Symbology = 'ean13' | 'upca' | 'ean8' | 'itf14' | 'code128';
export type BarcodeSpec = { symbology: Symbology; text: string };

// A product's first GTIN (stored as 14 digits, lib/contracts/catalog.ts) in the symbology its digits call for:
// EAN-8, UPC-A or EAN-13 by how many leading zeros pad it, ITF-14 for a true GTIN-14 (cases and cartons).
// Without a GTIN, the SKU as Code 128, which a scan looks up as exactly as a barcode.
export function productBarcode(product: { sku: string; barcodes: string[] }): BarcodeSpec {
  const gtin = product.barcodes[0];
  if (!gtin || !/^\d{14}$/.test(gtin)) return { symbology: 'code128', text: product.sku };
  if (gtin.startsWith('000000')) return { symbology: 'ean8', text: gtin.slice(6) };
  if (gtin.startsWith('00')) return { symbology: 'upca', text: gtin.slice(2) };
  if (gtin.startsWith('0')) return { symbology: 'ean13', text: gtin.slice(1) };
  return { symbology: 'itf14', text: gtin };
}

// A bin's label names its warehouse too ("EAST:A-01-02"): the scan lookup and the floor screens read both that and
// the bare code, and the qualified one finds the bin from any screen, whichever warehouse it has chosen.
export function binBarcode(bin: { warehouse: string; code: string }): BarcodeSpec {
  return { symbology: 'code128', text: `${bin.warehouse}:${bin.code}` };
}

function options(spec: BarcodeSpec, scale: number): RenderOptions {
  const retail = spec.symbology !== 'code128';
  return {
    bcid: spec.symbology,
    text: spec.text,
    scale,
    height: 12,
    // GTINs print their digits under the bars, as retail codes do; a Code 128's text is printed by the label itself.
    includetext: retail,
    textxalign: 'center',
    // Quiet zones: a scanner needs white either side (the label's own margin adds to it).
    paddingwidth: 10,
    paddingheight: 1,
    backgroundcolor: 'FFFFFF',
    ...(spec.symbology === 'itf14' ? { borderwidth: 2 } : {}),
  };
}

export function barcodeSvg(spec: BarcodeSpec): string {
  return bwipjs.toSVG(options(spec, 2));
}

export function barcodePng(spec: BarcodeSpec, scale = 3): Promise<Buffer> {
  return bwipjs.toBuffer(options(spec, scale));
}
