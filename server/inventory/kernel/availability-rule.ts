// What "sellable", "available" and a stock status mean, defined once and rendered twice from the same constants:
// as TypeScript (the allocation rule, the sidecar's cache, screens) and as SQL (every read, the alert evaluation,
// the sidecar's snapshot, the demo seed). availability-rule.test.ts proves the two renderings agree.
import '#server-only';
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { locations, products, stockLevels, type Location } from '@/db/schema';
import type { StockStatus } from '@/lib/contracts/stock-status';

// Stock a hold may take and a storefront may show: a location flagged sellable whose kind is pick or storage.
// Receiving, shipping and quarantine stock is on hand but never available.
export const SELLABLE_KINDS = ['pick', 'storage'] as const satisfies readonly Location['kind'][];

export function isSellable(loc: { sellable: boolean; kind: string }): boolean {
  return loc.sellable && (SELLABLE_KINDS as readonly string[]).includes(loc.kind);
}

// The locations table or an alias of it (drizzle's alias(), or columns of a derived table).
export type LocationRef = { sellable: SQLWrapper; kind: SQLWrapper };

// The kinds are constants of this module, written inline so the planner sees them as it would a literal.
const kindList = sql.raw(SELLABLE_KINDS.map((k) => `'${k}'`).join(', '));

export const sellableSql = (loc: LocationRef = locations): SQL<boolean> => sql<boolean>`(${loc.sellable} AND ${loc.kind} IN (${kindList}))`;

// Available = Σ(on hand − reserved) over sellable locations; `extra` narrows it further (a warehouse, a channel).
export const availableSql = (opts: { levels?: { onHand: SQLWrapper; reserved: SQLWrapper }; loc?: LocationRef; extra?: SQL } = {}): SQL<number> => {
  const { levels = stockLevels, loc = locations, extra } = opts;
  const where = extra ? sql`${sellableSql(loc)} AND ${extra}` : sellableSql(loc);
  return sql<number>`coalesce(sum(${levels.onHand} - ${levels.reserved}) FILTER (WHERE ${where}), 0)::int`;
};

// What a channel may sell of what is available to it: all but its buffer (units kept back from it), never below 0.
// The badge's figure (sidecar and app) and the holds and orders placed for the channel apply this one rule.
export function afterBuffer(available: number, buffer: number): number {
  return Math.max(available - buffer, 0);
}

// An archived product (active false) is no longer offered: storefronts answer its SKU as `unknown`, and lists
// leave it out unless asked for it. Its history stays.
export const listedSql = (p: { active: SQLWrapper } = products): SQL<boolean> => sql<boolean>`${p.active}`;

// A status is taken when available is at or under its bound, the most severe first; above them all, in stock.
// A threshold is a product's (or a warehouse's, or a channel's) "low at or under" figure.
const BOUNDS = [
  { status: 'out_of_stock', bound: 'zero' },
  { status: 'low_stock', bound: 'threshold' },
] as const satisfies readonly { status: StockStatus; bound: 'zero' | 'threshold' }[];

export function statusOf(available: number, threshold: number): StockStatus {
  for (const { status, bound } of BOUNDS) if (available <= (bound === 'zero' ? 0 : threshold)) return status;
  return 'in_stock';
}

export function statusSql(available: SQLWrapper, threshold: SQLWrapper): SQL<StockStatus> {
  const whens = BOUNDS.map(({ status, bound }) => sql`WHEN ${available} <= ${bound === 'zero' ? sql`0` : threshold} THEN ${sql.raw(`'${status}'`)}`);
  return sql<StockStatus>`(CASE ${sql.join(whens, sql` `)} ELSE 'in_stock' END)`;
}

// A low-stock alert is open exactly while the status is not in stock, and of the status's kind.
export function alertKindFor(available: number, threshold: number): Exclude<StockStatus, 'in_stock'> | null {
  const status = statusOf(available, threshold);
  return status === 'in_stock' ? null : status;
}
