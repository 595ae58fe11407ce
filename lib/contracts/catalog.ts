// Catalogue products as they cross the wire: the dashboard's product pages and GET/PUT /api/v1/products.
// A barcode is checked and normalised here, by lib/scan.ts, so a form, a scanner and the API agree on what it is.
import { z } from 'zod';
import { normalizeGtin } from '@/lib/scan';

export const BARCODE_KINDS = 'EAN-13, UPC-A, EAN-8 or GTIN-14';

// A GTIN in any of its lengths, stored as the 14-digit form products.barcodes holds (and scans look up).
export const barcode = z
  .string({ error: 'must be a barcode' })
  .trim()
  .transform((v, ctx) => {
    const gtin = normalizeGtin(v);
    if (gtin) return gtin;
    ctx.addIssue({
      code: 'custom',
      message: /^(\d{8}|\d{12}|\d{13}|\d{14})$/.test(v) ? `${v}: the check digit is wrong` : `${v || 'a blank code'} is not an ${BARCODE_KINDS}`,
    });
    return z.NEVER;
  });

export const MAX_BARCODES = 20;

export const catalogProductSchema = z
  .object({
    sku: z.string(),
    name: z.string(),
    barcodes: z.array(z.string()).meta({ description: 'GTINs as 14 digits (EAN-13, UPC-A and EAN-8 are zero-padded).' }),
    unit: z.string(),
    lowStockThreshold: z.number().int(),
    leadTimeDays: z.number().int(),
    active: z.boolean().meta({ description: 'false once archived: out of availability and of lists by default.' }),
    version: z.number().int().meta({ description: 'Send it back as `version` to refuse the save if someone changed the product since.' }),
  })
  .meta({ id: 'Product' });
export type CatalogProduct = z.infer<typeof catalogProductSchema>;
