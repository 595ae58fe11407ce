// The ledger for integrations (GET /api/v1/movements), paged by id: `after` is the last id the caller has seen.
import '#server-only';
import { and, asc, eq, gt, lte, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { locations, orders, products, reservations, stockMovements, warehouses } from '@/db/schema';
import { withoutPerson } from '../kernel/actor';
import { productBySku } from '../kernel/lookup';

export const DEFAULT_MOVEMENTS_LIMIT = 100;
export const MAX_MOVEMENTS_LIMIT = 1000;
// How long a page waits for transactions that were writing when it was asked for (they take milliseconds).
const SETTLE_WAIT_MS = 1000;

export type MovementRow = {
  id: number;
  sku: string;
  warehouse: string;
  location: string;
  kind: string;
  onHandDelta: number;
  reservedDelta: number;
  onHandAfter: number;
  reservedAfter: number;
  version: number;
  reasonCode: string | null;
  referenceType: string | null;
  referenceId: string | null;
  note: string | null;
  actor: string;
  commandId: string;
  createdAt: string;
};

export type MovementsPage = { items: MovementRow[]; nextCursor: string | null };

// Who reads the page. An API key sees the ids of its own holds and orders only, and no staff e-mail or free-text
// note: the ledger is shared by every client, and those are other clients' business or staff's. Staff see it all.
export type MovementsViewer = { kind: 'staff' } | { kind: 'api_key'; keyId: string };

export async function movementsPage(
  db: Executor,
  q: { sku?: string; after?: number; limit?: number },
  viewer: MovementsViewer = { kind: 'staff' },
): Promise<MovementsPage> {
  const limit = Math.min(Math.max(q.limit ?? DEFAULT_MOVEMENTS_LIMIT, 1), MAX_MOVEMENTS_LIMIT);
  const product = q.sku ? await productBySku(db, q.sku) : undefined;
  const horizon = await settledHorizon(db);
  const where: SQL[] = [gt(stockMovements.id, q.after ?? 0), lte(stockMovements.id, horizon)];
  if (product) where.push(eq(stockMovements.productId, product.id));
  const rows = await db
    .select({
      id: stockMovements.id,
      sku: products.sku,
      warehouse: warehouses.code,
      location: locations.code,
      kind: stockMovements.kind,
      onHandDelta: stockMovements.onHandDelta,
      reservedDelta: stockMovements.reservedDelta,
      onHandAfter: stockMovements.onHandAfter,
      reservedAfter: stockMovements.reservedAfter,
      version: stockMovements.version,
      reasonCode: stockMovements.reasonCode,
      referenceType: stockMovements.referenceType,
      referenceId: viewer.kind === 'api_key' ? referenceIdFor(viewer.keyId) : stockMovements.referenceId,
      note: viewer.kind === 'api_key' ? sql<string | null>`NULL::text` : stockMovements.note,
      actor: stockMovements.actor,
      commandId: stockMovements.commandId,
      createdAt: stockMovements.createdAt,
    })
    .from(stockMovements)
    .innerJoin(products, eq(products.id, stockMovements.productId))
    .innerJoin(locations, eq(locations.id, stockMovements.locationId))
    .innerJoin(warehouses, eq(warehouses.id, locations.warehouseId))
    .where(and(...where))
    .orderBy(asc(stockMovements.id))
    .limit(limit);
  const items = rows.map((r) => ({
    ...r,
    actor: viewer.kind === 'api_key' ? withoutPerson(r.actor) : r.actor,
    createdAt: r.createdAt.toISOString(),
  }));
  return { items, nextCursor: items.length === limit ? String(items[items.length - 1].id) : null };
}

// A hold's or an order's id only when this key made it; other references (purchase orders, the caller's own) as they are.
function referenceIdFor(keyId: string) {
  const m = stockMovements;
  return sql<string | null>`CASE
    WHEN ${m.referenceType} = 'hold' AND NOT EXISTS (SELECT 1 FROM ${reservations} r
      WHERE r.hold_id = ${m.referenceId}::uuid AND r.owner_key_id = ${keyId}) THEN NULL
    WHEN ${m.referenceType} = 'order' AND NOT EXISTS (SELECT 1 FROM ${orders} o
      WHERE o.id = ${m.referenceId}::uuid AND o.owner_key_id = ${keyId}) THEN NULL
    ELSE ${m.referenceId} END`;
}

// Ids are taken at insert but become visible at commit, so a later id can commit first: a caller that moved its
// cursor past it would never see the earlier one. So a page stops at the highest id visible now, and is read only
// after every transaction that was writing at that moment has finished (it holds any missing id below that).
async function settledHorizon(db: Executor): Promise<number> {
  const [snap] = await db.execute<{ horizon: string; running: string }>(sql`
    SELECT coalesce((SELECT max(${stockMovements.id}) FROM ${stockMovements}), 0)::text AS horizon,
           coalesce((SELECT string_agg(x::text, ',') FROM pg_snapshot_xip(pg_current_snapshot()) x), '') AS running`);
  let running = snap.running;
  const deadline = Date.now() + SETTLE_WAIT_MS;
  while (running && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 5));
    const [left] = await db.execute<{ running: string }>(sql`
      SELECT coalesce(string_agg(x::text, ','), '') AS running
      FROM unnest(${`{${running}}`}::xid8[]) x WHERE pg_xact_status(x) = 'in progress'`);
    running = left.running;
  }
  // A transaction open past the wait (a bulk import) is not worth stalling the feed for; it is rare and logged.
  if (running) console.warn(`[movements] page served while transactions ${running} were still open`);
  return Number(snap.horizon);
}
