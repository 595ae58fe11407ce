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

// The same rule as a join, for a read over thousands of rows: `LEFT JOIN ${preferredLeadTimes} pl ON pl.product_id = …`
// then leadTimeDaysJoined('p'): one hash join instead of a subquery per row at each place the figure is used.
export const preferredLeadTimes = sql`(SELECT ps.product_id, sup.lead_time_days FROM ${productSuppliers} ps
  JOIN ${suppliers} sup ON sup.id = ps.supplier_id WHERE ps.preferred)`;

export function leadTimeDaysJoined(productTable: 'p' | 'products', joined = 'pl'): SQL<number> {
  return sql<number>`coalesce(${sql.identifier(joined)}.lead_time_days, ${sql.identifier(productTable)}.lead_time_days)`;
}
