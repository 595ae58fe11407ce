// What a scanned code names: a product (by GTIN, then exact SKU), a bin in the current warehouse (or one named
// "EAST:A-01-02"), a purchase order or a sales order. Each probe is an indexed equality: a scan never loads a list.
import '#server-only';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { orders, products, purchaseOrders } from '@/db/schema';
import { parseScan } from '@/lib/scan';
import { sellableSql } from '../kernel/availability-rule';
import { l, w } from './aliases';
import type { ScanMatch } from '@/lib/contracts/stock';

export async function lookupScan(db: Executor, q: { code: string; warehouse?: string; gs?: string }): Promise<ScanMatch> {
  const scan = parseScan(q.code, { gs: q.gs });
  const code = scan.code;
  if (!code) return { kind: 'none', code, badCheckDigit: false };

  const upper = code.toUpperCase();
  const product = db.select({ id: products.id, sku: products.sku, name: products.name, barcodes: products.barcodes, unit: products.unit }).from(products);
  const [found] = scan.gtin
    ? await product.where(sql`${products.barcodes} @> ARRAY[${scan.gtin}]::text[]`).orderBy(products.id).limit(1)
    : await product.where(inArray(products.sku, [code, upper])).orderBy(desc(sql`${products.sku} = ${code}`)).limit(1);
  if (found) return { kind: 'product', product: found };
  if (scan.gtin || scan.badCheckDigit) return { kind: 'none', code, badCheckDigit: scan.badCheckDigit };

  // A bin label may carry its warehouse ("EAST:A-01-02"); a bare code is looked up in the current warehouse.
  const qualified = /^([^:]+):(.+)$/.exec(upper);
  const warehouse = qualified ? qualified[1] : q.warehouse?.toUpperCase();
  const bin = qualified ? qualified[2] : upper;
  if (warehouse) {
    // Sellable as everywhere else: the flag and a pick or storage kind (a receiving bin flagged sellable is not).
    const [location] = await db
      .select({ id: l.id, warehouse: w.code, code: l.code, kind: l.kind, sellable: sellableSql(l) })
      .from(l)
      .innerJoin(w, eq(w.id, l.warehouseId))
      .where(and(eq(w.code, warehouse), eq(l.code, bin)));
    if (location) return { kind: 'location', location };
  }

  const [po] = await db
    .select({ reference: purchaseOrders.reference, warehouse: w.code, status: purchaseOrders.status })
    .from(purchaseOrders)
    .innerJoin(w, eq(w.id, purchaseOrders.warehouseId))
    .where(inArray(purchaseOrders.reference, [code, upper]))
    .limit(1);
  if (po) return { kind: 'purchase_order', ...po };

  const [order] = await db
    .select({ id: orders.id, reference: orders.reference, status: orders.status })
    .from(orders)
    .where(inArray(orders.reference, [code, upper]))
    .orderBy(desc(orders.createdAt))
    .limit(1);
  if (order) return { kind: 'order', ...order };

  return { kind: 'none', code, badCheckDigit: false };
}
