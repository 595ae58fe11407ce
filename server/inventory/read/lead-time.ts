// The one lead-time rule: the preferred supplier's lead time when the product has one, else the product's own.
// The alert review, its drill-down and the forecast all read it from here.
import '#server-only';
import { sql, type SQL } from 'drizzle-orm';
import { productSuppliers, suppliers } from '@/db/schema';

// `productTable` is the name (or alias) the enclosing query gives products, spelled out: drizzle leaves columns
// unqualified in a one-table select, and an unqualified "id" here would bind to the subquery's suppliers.
export function leadTimeDaysSql(productTable: 'p' | 'products'): SQL<number> {
  const t = sql.identifier(productTable);
  return sql<number>`coalesce((SELECT sup.lead_time_days FROM ${productSuppliers} ps JOIN ${suppliers} sup ON sup.id = ps.supplier_id
    WHERE ps.product_id = ${t}.id AND ps.preferred), ${t}.lead_time_days)`;
}
