// Comparing a scan with what a task expects, locally: no lookup is needed to tell the right bin or product.
import type { Scan } from './scan';

export function isProduct(scan: Scan, product: { sku: string; barcodes: string[] }): boolean {
  if (scan.gtin) return product.barcodes.includes(scan.gtin);
  return scan.code.toUpperCase() === product.sku.toUpperCase();
}

// A bin label may carry its warehouse ("EAST:A-01-02").
export function isBin(scan: Scan, bin: { warehouse: string; location: string }): boolean {
  const code = scan.code.toUpperCase();
  return code === bin.location.toUpperCase() || code === `${bin.warehouse}:${bin.location}`.toUpperCase();
}

// How many units one scan stands for: a GS1 (30)/(37) quantity, else one.
export const unitsOf = (scan: Scan) => (scan.gs1?.qty && scan.gs1.qty > 0 ? scan.gs1.qty : 1);
