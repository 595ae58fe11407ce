// Units picked per product and warehouse in a window [from, asOf): the alert review's velocity and sort key, for
// every pair picked in the window. Whole UTC days come from pick_history's running totals (two array reads per pair,
// migration 0018); only the window's two partial days are read from the ledger (its picks index). The same figure
// as summing the ledger's picks over the window, at 100,000 products without reading a month of picks.
import '#server-only';
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { locations, pickHistory, stockMovements } from '@/db/schema';
import { l, m } from './aliases';

const DAY_MS = 86_400_000;

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

// `only(productId)` and `inWarehouse(warehouseId)` narrow the pairs (AND … fragments, or empty).
export function windowPicks(
  asOf: Date,
  windowDays: number,
  opts: { only: (productId: SQLWrapper) => SQL; inWarehouse: (warehouseId: SQLWrapper) => SQL },
): SQL {
  const to = asOf.getTime();
  const from = to - windowDays * DAY_MS;
  // Whole days d1 .. d2 - 1: from midnight on or after `from` to the midnight on or before as-of.
  const d1 = Math.ceil(from / DAY_MS) * DAY_MS;
  const d2 = Math.max(Math.floor(to / DAY_MS) * DAY_MS, d1);
  const h = pickHistory;
  const at = (day: number) => sql`pick_cum_at(${h.firstDay}, ${h.cum}, ${dayOf(day)}::date)`;
  const ts = (ms: number) => sql`${new Date(ms).toISOString()}::timestamptz`;
  // Each partial day is its own range on the picks index (an OR of the two would be read through the time index).
  const edge = (a: number, b: number) => sql`UNION ALL
      SELECT ${m.productId}, ${l.warehouseId}, -${m.onHandDelta}
      FROM ${stockMovements} ${m} JOIN ${locations} ${l} ON ${l.id} = ${m.locationId}
      WHERE ${m.kind} = 'pick' AND ${m.createdAt} >= ${ts(a)} AND ${m.createdAt} < ${ts(b)} ${opts.only(m.productId)} ${opts.inWarehouse(l.warehouseId)}`;
  const partial = sql`${from < d1 ? edge(from, d1) : sql``} ${d2 < to ? edge(d2, to) : sql``}`;
  return sql`
    SELECT product_id, warehouse_id, sum(picked)::int AS picked FROM (
      SELECT ${h.productId} AS product_id, ${h.warehouseId} AS warehouse_id, ${at(d2 - DAY_MS)} - ${at(d1 - DAY_MS)} AS picked
      FROM ${h}
      WHERE ${h.lastDay} >= ${dayOf(d1)}::date AND ${h.firstDay} < ${dayOf(d2)}::date ${opts.only(h.productId)} ${opts.inWarehouse(h.warehouseId)}
      ${partial}
    ) x
    GROUP BY 1, 2
    HAVING sum(picked) > 0`;
}
