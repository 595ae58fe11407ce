// The Activity page's reads: the stock ledger across products and the master-data change log, each filtered,
// newest first, and paged by keyset on id (`before` is the last id of the previous page, never an OFFSET). Every
// filter has an index that walks in id order (migration 0010 and the tables' own keys), so a page costs the same
// however long the history. This is the one way master_data_changes is read; a product's page asks it too.
import '#server-only';
import { and, desc, eq, gte, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Executor } from '@/db/client';
import { masterDataChanges, orders, products } from '@/db/schema';
import {
  ACTIVITY_PAGE_SIZE,
  type ActivityPage,
  type ChangeActivityQuery,
  type ChangeRow,
  type StockActivityQuery,
  type StockActivityRow,
} from '@/lib/contracts/activity';
import { normalizeGtin } from '@/lib/scan';
import { l, m, w } from './aliases';

const DAY_MS = 86_400_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Cursor = { before?: number };

// Whole UTC days, both ends included.
function within(createdAt: AnyPgColumn, q: { from?: string; to?: string }): SQL[] {
  const out: SQL[] = [];
  if (q.from) out.push(gte(createdAt, new Date(`${q.from}T00:00:00Z`)));
  if (q.to) out.push(lt(createdAt, new Date(Date.parse(`${q.to}T00:00:00Z`) + DAY_MS)));
  return out;
}

// An actor is recorded as "user:manager@onhand.test" (or api_key:…, system:…); people type the part after the colon.
// An IN list keeps the (actor, id) index usable.
const actorIn = (column: AnyPgColumn, actor: string) => inArray(column, [actor, `user:${actor}`, `api_key:${actor}`, `system:${actor}`]);

function stockWhere(q: StockActivityQuery & Cursor): SQL | undefined {
  const where: SQL[] = within(m.createdAt, q);
  if (q.before) where.push(lt(m.id, q.before));
  if (q.kind) where.push(eq(m.kind, q.kind));
  if (q.actor) where.push(actorIn(m.actor, q.actor));
  if (q.sku) {
    // Exact, as a copied SKU gives it (typed lower case finds the upper-case SKU too), or a scanned barcode.
    const gtin = normalizeGtin(q.sku);
    const byBarcode = gtin ? sql` OR ${products.barcodes} @> ARRAY[${gtin}]::text[]` : sql``;
    where.push(inArray(m.productId, sql`(SELECT ${products.id} FROM ${products} WHERE ${products.sku} IN (${q.sku}, ${q.sku.toUpperCase()})${byBarcode})`));
  }
  if (q.reference) {
    // The ledger holds a purchase order's or an adjustment's reference as given, an order's id (found here by the
    // order's own reference too) and the command's id: each is an indexed equality.
    // The orders' ids are gathered first (an ARRAY(...) is computed once), so the ledger side stays one indexed
    // "= ANY" that PostgreSQL can OR with the command id's index; an IN (subquery) would filter the whole ledger.
    const r = q.reference;
    const orderIds = sql`ARRAY(SELECT ${orders.id}::text FROM ${orders} WHERE ${orders.reference} IN (${r}, ${r.toUpperCase()}))`;
    const byReference = sql`${m.referenceId} = ANY (ARRAY[${r}]::text[] || ${orderIds})`;
    where.push(UUID.test(r) ? or(byReference, eq(m.commandId, r.toLowerCase()))! : byReference);
  }
  return and(...where);
}

// The page's statement, unrun: its test reads the plan PostgreSQL makes of it.
export function stockActivityQuery(db: Executor, q: StockActivityQuery & Cursor, limit = ACTIVITY_PAGE_SIZE) {
  return db
    .select({
      id: m.id,
      createdAt: m.createdAt,
      kind: m.kind,
      sku: products.sku,
      name: products.name,
      warehouse: w.code,
      location: l.code,
      onHandDelta: m.onHandDelta,
      reservedDelta: m.reservedDelta,
      onHandAfter: m.onHandAfter,
      reservedAfter: m.reservedAfter,
      reasonCode: m.reasonCode,
      referenceType: m.referenceType,
      referenceId: m.referenceId,
      // Only a reference that is an order's id is looked up: a ledger row from elsewhere (a restore, an import from
      // another system) may carry any text, which a cast to uuid would turn into an error for the whole page.
      referenceLabel: sql<string | null>`CASE WHEN ${m.referenceType} = 'order' AND ${m.referenceId} ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
        THEN (SELECT ${orders.reference} FROM ${orders} WHERE ${orders.id} = ${m.referenceId}::uuid) END`,
      note: m.note,
      actor: m.actor,
      commandId: m.commandId,
    })
    .from(m)
    .innerJoin(products, eq(products.id, m.productId))
    .innerJoin(l, eq(l.id, m.locationId))
    .innerJoin(w, eq(w.id, l.warehouseId))
    .where(stockWhere(q))
    .orderBy(desc(m.id))
    .limit(limit + 1);
}

export async function stockActivity(db: Executor, q: StockActivityQuery & Cursor, limit = ACTIVITY_PAGE_SIZE): Promise<ActivityPage<StockActivityRow>> {
  const rows = await stockActivityQuery(db, q, limit);
  const items = rows.slice(0, limit).map(({ createdAt, ...r }) => ({ ...r, at: createdAt.toISOString() }));
  return { items, nextCursor: rows.length > limit ? String(items[items.length - 1].id) : null };
}

const c = masterDataChanges;

function changeWhere(q: ChangeActivityQuery & Cursor): SQL | undefined {
  const where: SQL[] = within(c.createdAt, q);
  if (q.before) where.push(lt(c.id, q.before));
  // (entity, entity_key, id) serves an entity, or one record's history, newest first.
  if (q.entity) where.push(eq(c.entity, q.entity));
  if (q.key) where.push(eq(c.entityKey, q.key));
  if (q.action) where.push(eq(c.action, q.action));
  if (q.actor) where.push(actorIn(c.actor, q.actor));
  return and(...where);
}

export async function changeActivity(db: Executor, q: ChangeActivityQuery & Cursor, limit = ACTIVITY_PAGE_SIZE): Promise<ActivityPage<ChangeRow>> {
  const rows = await db
    .select()
    .from(c)
    .where(changeWhere(q))
    .orderBy(desc(c.id))
    .limit(limit + 1);
  const items = rows.slice(0, limit).map((r) => ({
    id: r.id,
    at: r.createdAt.toISOString(),
    entity: r.entity,
    key: r.entityKey,
    action: r.action,
    actor: r.actor,
    commandId: r.commandId,
    before: r.before as Record<string, unknown> | null,
    after: r.after as Record<string, unknown> | null,
  }));
  return { items, nextCursor: rows.length > limit ? String(items[items.length - 1].id) : null };
}

// Every row the filters match, newest first, fetched a batch at a time by the same keyset: what an export streams.
export async function* allPages<Q extends Cursor, T extends { id: number }>(
  read: (db: Executor, q: Q, limit?: number) => Promise<ActivityPage<T>>,
  db: Executor,
  q: Q,
  batch = 500,
): AsyncGenerator<T> {
  let before = q.before;
  for (;;) {
    const page = await read(db, { ...q, before }, batch);
    yield* page.items;
    if (!page.nextCursor) return;
    before = Number(page.nextCursor);
  }
}
