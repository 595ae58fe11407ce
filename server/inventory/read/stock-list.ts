// The stock list: one row per product, searched by SKU, name or barcode, filtered by warehouse, bin and status,
// sorted and paged on the server. "Available" is on_hand - reserved in sellable locations (pick and storage with
// the flag set), computed here and nowhere else for lists (Saleor #10877).
// Speed on 100k products: the text search is ILIKE '%q%' on sku and name, served by their trigram GIN indexes
// (a BitmapOr with the barcode array's GIN index); sorted by SKU or name without figure filters, the page is read
// in index order and only its rows get their figures; sorted or filtered by a figure across every warehouse, the
// figures are the products' product_stock rows (available is indexed), not a sum over 100,000 products' levels.
import '#server-only';
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { locations, productStock, productWarehouseSettings, products, purchaseOrderLines, purchaseOrders, stockLevels, stockMovements, warehouses } from '@/db/schema';
import type { StockStatus } from '@/lib/contracts/stock-status';
import { parseScan } from '@/lib/scan';
import { availableSql, listedSql, statusSql } from '../kernel/availability-rule';
import { l, m, p, po, pol, pws, s } from './aliases';
import { receivable } from './incoming';
import type { StockListParams, StockListResult, StockSort } from '@/lib/contracts/stock';

// The list's parameters, and how many rows a page holds (the dashboard's default, or a caller's own).
export type StockListQuery = StockListParams & { pageSize?: number };

// Sorts name the page's own result columns (AS sku, AS on_hand ...), not a table's.
const sortColumn: Record<StockSort, SQL> = {
  sku: sql`sku`,
  name: sql`name`,
  onHand: sql`on_hand`,
  reserved: sql`reserved`,
  available: sql`available`,
  threshold: sql`threshold`,
};

export function escapeLike(text: string) {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

// The WHERE clause of a search: partial SKU or name (trigram indexes), or a barcode's GTIN (array GIN index).
export function searchCondition(q: string | undefined): SQL {
  const text = q?.trim();
  if (!text) return sql`true`;
  const like = `%${escapeLike(text)}%`;
  const gtin = parseScan(text).gtin;
  const barcode = gtin ? sql` OR ${p.barcodes} @> ARRAY[${gtin}]::text[]` : sql``;
  return sql`(${p.sku} ILIKE ${like} OR ${p.name} ILIKE ${like}${barcode})`;
}

export async function stockList(db: Executor, query: StockListQuery): Promise<StockListResult> {
  if (!query.q?.trim()) return stockPage(db, query);
  // The planner prices ILIKE like an equality, so it walks 100k rows (~250 ms here) rather than the trigram
  // indexes (~20 ms); for a search, seq scans are priced out for this one read-only transaction.
  return db.transaction(async (tx) => {
    await tx.execute(sql`SET LOCAL enable_seqscan = off`);
    return stockPage(tx, query);
  });
}

type Row = {
  id: number;
  sku: string;
  name: string;
  threshold: number;
  total: number;
  on_hand: number;
  reserved: number;
  available: number;
  status: StockStatus;
  bins: string[];
  incoming: number;
  last_counted_at: string | null;
};

async function stockPage(db: Executor, query: StockListQuery): Promise<StockListResult> {
  const pageSize = Math.min(Math.max(query.pageSize ?? 50, 1), 200);
  const page = Math.max(query.page ?? 1, 1);
  const sort = query.sort ?? 'sku';
  const dir = query.dir === 'desc' ? sql`DESC` : sql`ASC`;
  const search = sql`${searchCondition(query.q)} AND ${listedSql(p)}`;
  const warehouseId = sql`(SELECT ${warehouses.id} FROM ${warehouses} WHERE ${warehouses.code} = ${query.warehouse})`;
  const where = sql.join(
    [
      query.warehouse ? sql`${l.warehouseId} = ${warehouseId}` : null,
      query.location ? sql`${l.code} = ${query.location}` : null,
    ].filter((x): x is SQL => x !== null),
    sql` AND `,
  );
  const levelFilter = query.warehouse || query.location ? sql` AND ${where}` : sql``;
  const threshold = query.warehouse
    ? sql`coalesce((SELECT ${pws.lowStockThreshold} FROM ${productWarehouseSettings} ${pws}
          WHERE ${pws.productId} = ${p.id} AND ${pws.warehouseId} = ${warehouseId}), ${p.lowStockThreshold})`
    : sql`${p.lowStockThreshold}`;
  // Filters and sorts on figures need every matching product's figures; otherwise the page is chosen from the
  // products alone and only its 50 rows get figures.
  const figuresFirst = Boolean(query.status || query.warehouse || query.location || !['sku', 'name'].includes(sort));
  const keep = sql.join(
    [
      query.warehouse || query.location ? sql`levels > 0` : sql`true`,
      query.status ? sql`status = ${query.status}` : sql`true`,
    ],
    sql` AND `,
  );
  const levelTotals = sql`coalesce(sum(${s.onHand}), 0)::int AS on_hand, coalesce(sum(${s.reserved}), 0)::int AS reserved,
    ${availableSql({ levels: s, loc: l })} AS available,
    count(*)::int AS levels`;
  // Per product by index for a page or a search's matches; one hash aggregate when every product is ranked.
  const levelsIn = sql`${stockLevels} ${s} JOIN ${locations} ${l} ON ${l.id} = ${s.locationId}`;
  const perRow = (pid: SQLWrapper) => sql`LEFT JOIN LATERAL (
      SELECT ${levelTotals} FROM ${levelsIn}
      WHERE ${s.productId} = ${pid}${levelFilter}
    ) f ON true`;
  const allRows = sql`LEFT JOIN (
      SELECT ${s.productId} AS product_id, ${levelTotals} FROM ${levelsIn}
      WHERE true${levelFilter} GROUP BY ${s.productId}
    ) f0 ON f0.product_id = ${p.id}
    CROSS JOIN LATERAL (SELECT coalesce(f0.on_hand, 0) AS on_hand, coalesce(f0.reserved, 0) AS reserved,
      coalesce(f0.available, 0) AS available, coalesce(f0.levels, 0) AS levels) f`;
  const status = (thr: SQL) => statusSql(sql`f.available`, thr);
  // A search runs first and alone (materialized), so it is always the trigram and barcode indexes that find the
  // candidates: left to itself the planner may walk the SKU index for a LIMIT and filter 100k rows one by one.
  const q = query.q?.trim();
  const matched = q
    ? sql`matched AS MATERIALIZED (SELECT ${p.id}, ${p.sku}, ${p.name}, ${p.lowStockThreshold} FROM ${products} ${p} WHERE ${search}),`
    : sql``;
  // The matches keep the products' column names, so p's columns read them as they would the table; without a
  // search, archived products are left out before anything else.
  const fromProducts = q ? sql`matched ${p}` : sql`(SELECT * FROM ${products} WHERE ${listedSql()}) ${p}`;
  const order = sql`ORDER BY ${sortColumn[sort]} ${dir}, sku ${dir}`;
  const limit = sql`LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`;
  // Across all warehouses and bins, every product's figures are its product_stock row (kept by the database with its
  // levels, migration 0018): a sort by a figure walks that table's index instead of summing every product's levels.
  const fromTotals = figuresFirst && !q && !query.warehouse && !query.location;
  const totalsRows = sql`SELECT ${p.id} AS id, ${p.sku} AS sku, ${p.name} AS name, ${threshold} AS threshold,
      ${productStock.onHand} AS on_hand, ${productStock.reserved} AS reserved, ${productStock.available} AS available,
      ${statusSql(productStock.available, threshold)} AS status
    FROM ${fromProducts} JOIN ${productStock} ON ${productStock.productId} = ${p.id}`;
  const pageQuery = fromTotals
    ? sql`SELECT id, sku, name, threshold, 0 AS total FROM (${totalsRows}) x WHERE ${keep} ${order} ${limit}`
    : figuresFirst
      ? sql`SELECT id, sku, name, threshold, count(*) OVER ()::int AS total FROM (
            SELECT ${p.id} AS id, ${p.sku} AS sku, ${p.name} AS name, ${threshold} AS threshold, f.on_hand, f.reserved, f.available, f.levels, ${status(threshold)} AS status
            FROM ${fromProducts} ${q ? perRow(p.id) : allRows}
          ) x WHERE ${keep} ${order} ${limit}`
      : sql`SELECT ${p.id} AS id, ${p.sku} AS sku, ${p.name} AS name, ${threshold} AS threshold,
            ${q ? sql`(SELECT count(*) FROM matched)` : sql`0`}::int AS total
          FROM ${fromProducts} ${order} ${limit}`;
  // Counted apart (and alongside) when the page itself is an index-ordered read of 50 rows.
  const countQuery =
    fromTotals && query.status
      ? sql`SELECT count(*)::int AS n FROM (${totalsRows}) x WHERE ${keep}`
      : fromTotals || (!figuresFirst && !q)
        ? sql`SELECT count(*)::int AS n FROM ${products} ${p} WHERE ${search}`
        : null;
  const pageRows = db.execute<Row>(sql`
    WITH ${matched} page AS (${pageQuery})
    SELECT page.id, page.sku, page.name, page.threshold, page.total, f.on_hand, f.reserved, f.available,
      ${status(sql`page.threshold`)} AS status,
      (SELECT coalesce(array_agg(${l.code} ORDER BY ${l.kind} <> 'pick', ${l.code}), '{}')
         FROM ${levelsIn}
         WHERE ${s.productId} = page.id AND ${s.onHand} > 0${levelFilter}) AS bins,
      (SELECT coalesce(sum(greatest(${pol.qtyExpected} - ${pol.qtyReceived}, 0)), 0)::int
         FROM ${purchaseOrderLines} ${pol} JOIN ${purchaseOrders} ${po} ON ${po.id} = ${pol.purchaseOrderId}
         WHERE ${pol.productId} = page.id AND ${receivable(po.status)}
         ${query.warehouse ? sql`AND ${po.warehouseId} = ${warehouseId}` : sql``}) AS incoming,
      -- The newest count by the ledger's (product_id, id) key: max(created_at) would walk the whole ledger's time index.
      (SELECT ${m.createdAt} FROM ${stockMovements} ${m} WHERE ${m.productId} = page.id AND ${m.kind} = 'count'
         ORDER BY ${m.id} DESC LIMIT 1) AS last_counted_at
    FROM page ${perRow(sql`page.id`)}
    ${order}`);

  const [rows, counted] = await Promise.all([pageRows, countQuery ? db.execute<{ n: number }>(countQuery) : null]);
  const total = counted ? counted[0].n : (rows[0]?.total ?? 0);
  return {
    total,
    page,
    pageSize,
    rows: rows.map((r) => ({
      id: r.id,
      sku: r.sku,
      name: r.name,
      onHand: r.on_hand,
      reserved: r.reserved,
      available: r.available,
      threshold: r.threshold,
      status: r.status,
      bins: r.bins,
      incoming: r.incoming,
      lastCountedAt: toIso(r.last_counted_at),
    })),
  };
}

export function toIso(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  return (v instanceof Date ? v : new Date(String(v))).toISOString();
}
