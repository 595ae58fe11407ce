// Orders with their lines and where each unit is held: GET /api/v1/orders(/{id}) and the staff Orders page.
// Newest first, paged by a cursor so a page never repeats or skips an order that arrives meanwhile.
import '#server-only';
import { and, asc, count, desc, eq, ilike, inArray, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { locations, orderLines, orders, products, reservations, warehouses, type Order } from '@/db/schema';
import type { OrderStatus, OrdersPage, OrderView, StaffOrders } from '@/lib/contracts/orders';
import { InventoryError, notFound } from '../kernel/errors';

export const DEFAULT_ORDERS_LIMIT = 50;
export const MAX_ORDERS_LIMIT = 200;

export type OrdersFilter = {
  // Exact reference (a storefront backend looks up its own order number).
  reference?: string;
  // Part of a reference, any case (the staff page's search).
  search?: string;
  status?: OrderStatus;
  channel?: string;
  // An API key sees only the orders it placed (another key's are unknown to it: 404, absent from lists).
  ownerKeyId?: string;
};

// Every condition that decides which orders a caller may see and asked for, in one place. An owner filter (a key
// sees only the orders it placed) is one more entry here.
function orderConditions(f: OrdersFilter): SQL[] {
  const where: SQL[] = [];
  if (f.reference !== undefined) where.push(eq(orders.reference, f.reference));
  if (f.search) where.push(ilike(orders.reference, `%${f.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
  if (f.channel !== undefined) where.push(eq(orders.channel, f.channel));
  if (f.status) where.push(eq(orders.status, f.status));
  if (f.ownerKeyId !== undefined) where.push(eq(orders.ownerKeyId, f.ownerKeyId));
  return where;
}

export async function orderById(db: Executor, id: string, filter: OrdersFilter = {}): Promise<OrderView> {
  const rows = await db
    .select()
    .from(orders)
    .where(and(eq(orders.id, id), ...orderConditions(filter)));
  if (!rows[0]) throw notFound('order', id);
  return (await withLines(db, rows))[0];
}

// The cursor is the last order's id, compared by that row's own (created_at, id): timestamps keep microseconds
// that a JavaScript Date would round away.
const encodeCursor = (o: Order) => Buffer.from(o.id).toString('base64url');
function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString();
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) {
    throw new InventoryError('validation_failed', 'after is not a cursor this API gave out.', { fields: { after: ['must be the nextCursor of a previous page'] } });
  }
  return id;
}

export async function ordersPage(db: Executor, f: OrdersFilter & { after?: string; limit?: number }): Promise<OrdersPage> {
  const limit = Math.min(Math.max(f.limit ?? DEFAULT_ORDERS_LIMIT, 1), MAX_ORDERS_LIMIT);
  const where = orderConditions(f);
  if (f.after) {
    const id = decodeCursor(f.after);
    where.push(sql`(${orders.createdAt}, ${orders.id}) < (SELECT o.created_at, o.id FROM ${orders} o WHERE o.id = ${id})`);
  }
  const rows = await db
    .select()
    .from(orders)
    .where(and(...where))
    .orderBy(desc(orders.createdAt), desc(orders.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  return { items: await withLines(db, page), nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]) : null };
}

// The staff page: a page of orders plus how many orders each state holds among those the search matches.
export async function staffOrders(db: Executor, f: OrdersFilter & { after?: string; limit?: number }): Promise<StaffOrders> {
  const [page, counted] = await Promise.all([
    ordersPage(db, f),
    db
      .select({ status: orders.status, n: count() })
      .from(orders)
      .where(and(...orderConditions({ ...f, status: undefined })))
      .groupBy(orders.status),
  ]);
  return { ...page, counts: Object.fromEntries(counted.map((c) => [c.status, c.n])) };
}

async function withLines(db: Executor, list: Order[]): Promise<OrderView[]> {
  if (!list.length) return [];
  const ids = list.map((o) => o.id);
  const [lines, holds] = await Promise.all([
    db
      .select({ line: orderLines, sku: products.sku })
      .from(orderLines)
      .innerJoin(products, eq(products.id, orderLines.productId))
      .where(inArray(orderLines.orderId, ids))
      .orderBy(asc(orderLines.lineNo)),
    db
      .select({
        lineId: reservations.orderLineId,
        warehouse: warehouses.code,
        location: locations.code,
        staged: sql<boolean>`${locations.kind} = 'shipping'`,
        qty: sql<number>`sum(${reservations.qty})::int`,
      })
      .from(reservations)
      .innerJoin(orderLines, eq(orderLines.id, reservations.orderLineId))
      .innerJoin(locations, eq(locations.id, reservations.locationId))
      .innerJoin(warehouses, eq(warehouses.id, locations.warehouseId))
      .where(and(inArray(orderLines.orderId, ids), eq(reservations.status, 'active'), sql`${reservations.qty} > 0`))
      .groupBy(reservations.orderLineId, warehouses.code, locations.code, locations.kind, locations.pickOrder)
      .orderBy(asc(warehouses.code), asc(locations.pickOrder), asc(locations.code)),
  ]);
  return list.map((o) => ({
    id: o.id,
    reference: o.reference,
    channel: o.channel,
    status: o.status,
    createdAt: o.createdAt.toISOString(),
    updatedAt: o.updatedAt.toISOString(),
    lines: lines
      .filter((l) => l.line.orderId === o.id)
      .map(({ line, sku }) => ({
        lineNo: line.lineNo,
        sku,
        qty: line.qty,
        picked: line.pickedQty,
        short: line.shortQty,
        shipped: o.status === 'shipped' ? line.pickedQty : 0,
        held: holds.filter((h) => h.lineId === line.id).map(({ lineId: _, ...h }) => h),
      })),
  }));
}
