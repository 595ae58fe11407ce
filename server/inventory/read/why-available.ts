// "Why is available X?": the figures behind a product's available, warehouse by warehouse. On hand per bin (and
// which bins do not count, and why), every active hold with its order or cart and expiry, and the last movements.
// Available = on hand - reserved over sellable locations, the same rule as everywhere else (kernel/availability-rule.ts).
import '#server-only';
import { and, asc, desc, eq, gt, sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { locations, orderLines, orders, reservations, stockMovements, warehouses, type StockMovement } from '@/db/schema';
import { productSummary } from './product-detail';
import { sellableSql } from '../kernel/availability-rule';
import { selectHolds } from '../kernel/holds';
import { l, m, s, w } from './aliases';
import { toIso } from './stock-list';
import type { WhyAvailable, WhyBin, WhyWarehouse } from '@/lib/contracts/product';

const MOVES_SHOWN = 10;

type MoveRow = {
  warehouse: string;
  // A bigint, which the driver returns as text.
  id: string;
  created_at: string;
  kind: StockMovement['kind'];
  location: string;
  on_hand_delta: number;
  reserved_delta: number;
  reason_code: string | null;
  actor: string;
  reference: string | null;
};

export async function whyAvailable(db: Executor, sku: string): Promise<WhyAvailable> {
  const product = await productSummary(db, sku);
  const [bins, holds, moves] = await Promise.all([
    db
      .select({ warehouse: w.code, warehouseName: w.name, location: l.code, kind: l.kind, sellable: sellableSql(l), onHand: s.onHand, reserved: s.reserved })
      .from(s)
      .innerJoin(l, eq(l.id, s.locationId))
      .innerJoin(w, eq(w.id, l.warehouseId))
      .where(eq(s.productId, product.id))
      .orderBy(asc(w.code), desc(sellableSql(l)), sql`${l.kind} <> 'pick'`, asc(l.code)),
    selectHolds(db)
      .leftJoin(orderLines, eq(orderLines.id, reservations.orderLineId))
      .leftJoin(orders, eq(orders.id, orderLines.orderId))
      .where(and(eq(reservations.productId, product.id), eq(reservations.status, 'active'), gt(reservations.qty, 0)))
      .orderBy(asc(warehouses.code), sql`${reservations.expiresAt} NULLS LAST`, asc(reservations.createdAt)),
    db.execute<MoveRow>(sql`
      SELECT ${w.code} AS warehouse, mv.*
      FROM ${warehouses} ${w} CROSS JOIN LATERAL (
        SELECT ${m.id} AS id, ${m.createdAt} AS created_at, ${m.kind} AS kind, ${locations.code} AS location, ${m.onHandDelta} AS on_hand_delta,
          ${m.reservedDelta} AS reserved_delta, ${m.reasonCode} AS reason_code, ${m.actor} AS actor,
          CASE WHEN ${m.referenceType} = 'order' THEN (SELECT ${orders.reference} FROM ${orders} WHERE ${orders.id} = ${m.referenceId}::uuid)
               -- A cart hold is known by the caller's reference, when it gave one.
               WHEN ${m.referenceType} = 'hold' THEN coalesce((SELECT ${reservations.reference} FROM ${reservations}
                 WHERE ${reservations.holdId} = ${m.referenceId}::uuid AND ${reservations.reference} IS NOT NULL LIMIT 1), ${m.referenceId})
               ELSE ${m.referenceId} END AS reference
        FROM ${stockMovements} ${m} JOIN ${locations} ON ${locations.id} = ${m.locationId}
        WHERE ${m.productId} = ${product.id} AND ${locations.warehouseId} = ${w.id}
        ORDER BY ${m.id} DESC LIMIT ${MOVES_SHOWN}
      ) mv
      ORDER BY ${w.code}, mv.id DESC`),
  ]);
  const byCode = new Map<string, WhyWarehouse>();
  const of = (code: string, name?: string) => {
    let wh = byCode.get(code);
    if (!wh) {
      wh = { code, name: name ?? code, available: 0, sellableOnHand: 0, sellableReserved: 0, notSellableOnHand: 0, bins: [], holds: [], moves: [] };
      byCode.set(code, wh);
    }
    return wh;
  };
  for (const b of bins) {
    // A warehouse that once held the product is listed (its movements explain the zero); empty bins are not.
    const wh = of(b.warehouse, b.warehouseName);
    if (!b.onHand && !b.reserved) continue;
    const bin: WhyBin = { location: b.location, kind: b.kind, sellable: b.sellable, onHand: b.onHand, reserved: b.reserved, available: b.onHand - b.reserved };
    wh.bins.push(bin);
    if (bin.sellable) {
      wh.sellableOnHand += bin.onHand;
      wh.sellableReserved += bin.reserved;
      wh.available += bin.available;
    } else wh.notSellableOnHand += bin.onHand;
  }
  for (const { reservations: r, locations: loc, warehouses: wh, orders: o } of holds) {
    of(wh.code).holds.push({
      id: r.id,
      location: loc.code,
      qty: r.qty,
      owner: r.orderLineId !== null ? 'order' : 'cart',
      reference: o?.reference ?? r.reference,
      orderStatus: o?.status ?? null,
      createdAt: r.createdAt.toISOString(),
      expiresAt: toIso(r.expiresAt),
    });
  }
  // Movements only for warehouses that hold or held something worth explaining.
  for (const mv of moves) {
    if (!byCode.has(mv.warehouse)) continue;
    byCode.get(mv.warehouse)!.moves.push({
      id: Number(mv.id),
      at: toIso(mv.created_at)!,
      kind: mv.kind,
      location: mv.location,
      onHandDelta: mv.on_hand_delta,
      reservedDelta: mv.reserved_delta,
      reasonCode: mv.reason_code,
      reference: mv.reference,
      actor: mv.actor,
    });
  }
  const list = [...byCode.values()];
  return { sku: product.sku, name: product.name, available: list.reduce((sum, wh) => sum + wh.available, 0), warehouses: list };
}
