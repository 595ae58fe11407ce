// What a scanned code names: a product (by GTIN, then exact SKU), a bin in the current warehouse (or one named
// "EAST:A-01-02"), a purchase order or a sales order. Each probe is an indexed equality: a scan never loads a list.
import { sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { parseScan } from '@/lib/scan';
import type { ScanMatch } from '@/lib/contracts/stock';

type Row = Record<string, unknown>;

export async function lookupScan(db: Executor, q: { code: string; warehouse?: string; gs?: string }): Promise<ScanMatch> {
  const scan = parseScan(q.code, { gs: q.gs });
  const code = scan.code;
  if (!code) return { kind: 'none', code, badCheckDigit: false };

  const upper = code.toUpperCase();
  const products = (await db.execute(
    scan.gtin
      ? sql`SELECT id, sku, name, barcodes, unit FROM products WHERE barcodes @> ARRAY[${scan.gtin}]::text[] ORDER BY id LIMIT 1`
      : sql`SELECT id, sku, name, barcodes, unit FROM products WHERE sku IN (${code}, ${upper}) ORDER BY sku = ${code} DESC LIMIT 1`,
  )) as unknown as Row[];
  if (products[0]) {
    const p = products[0];
    return { kind: 'product', product: { id: p.id as number, sku: p.sku as string, name: p.name as string, barcodes: p.barcodes as string[], unit: p.unit as string } };
  }
  if (scan.gtin || scan.badCheckDigit) return { kind: 'none', code, badCheckDigit: scan.badCheckDigit };

  // A bin label may carry its warehouse ("EAST:A-01-02"); a bare code is looked up in the current warehouse.
  const qualified = /^([^:]+):(.+)$/.exec(upper);
  const warehouse = qualified ? qualified[1] : q.warehouse?.toUpperCase();
  const bin = qualified ? qualified[2] : upper;
  if (warehouse) {
    const locs = (await db.execute(sql`
      SELECT l.id, w.code AS warehouse, l.code, l.kind, l.sellable FROM locations l JOIN warehouses w ON w.id = l.warehouse_id
      WHERE w.code = ${warehouse} AND l.code = ${bin}`)) as unknown as Row[];
    if (locs[0]) {
      const l = locs[0];
      return {
        kind: 'location',
        location: { id: l.id as number, warehouse: l.warehouse as string, code: l.code as string, kind: l.kind as string, sellable: l.sellable as boolean },
      };
    }
  }

  const pos = (await db.execute(sql`
    SELECT po.reference, w.code AS warehouse, po.status FROM purchase_orders po JOIN warehouses w ON w.id = po.warehouse_id
    WHERE po.reference IN (${code}, ${upper}) LIMIT 1`)) as unknown as Row[];
  if (pos[0]) return { kind: 'purchase_order', reference: pos[0].reference as string, warehouse: pos[0].warehouse as string, status: pos[0].status as string };

  const orders = (await db.execute(sql`
    SELECT id, reference, status FROM orders WHERE reference IN (${code}, ${upper}) ORDER BY created_at DESC LIMIT 1`)) as unknown as Row[];
  if (orders[0]) return { kind: 'order', id: orders[0].id as string, reference: orders[0].reference as string, status: orders[0].status as string };

  return { kind: 'none', code, badCheckDigit: false };
}
