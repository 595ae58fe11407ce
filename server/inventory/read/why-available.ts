// "Why is available X?": the figures behind a product's available, warehouse by warehouse. On hand per bin (and
// which bins do not count, and why), every active hold with its order or cart and expiry, and the last movements.
// Available = on hand - reserved over sellable locations, the same rule as everywhere else (kernel/availability-rule.ts).
import { sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { productSummary } from './product-detail';
import { sellableSql } from '../kernel/availability-rule';
import { toIso } from './stock-list';
import type { WhyAvailable, WhyBin, WhyWarehouse } from '@/lib/contracts/product';

const MOVES_SHOWN = 10;

export async function whyAvailable(db: Executor, sku: string): Promise<WhyAvailable> {
  const product = await productSummary(db, sku);
  const [bins, holds, moves] = await Promise.all([
    db.execute(sql`
      SELECT w.code AS warehouse, w.name AS warehouse_name, locations.code AS location, locations.kind,
        (${sellableSql()}) AS sellable, s.on_hand, s.reserved
      FROM stock_levels s JOIN locations ON locations.id = s.location_id JOIN warehouses w ON w.id = locations.warehouse_id
      WHERE s.product_id = ${product.id}
      ORDER BY w.code, (${sellableSql()}) DESC, locations.kind <> 'pick', locations.code`) as unknown as Promise<Record<string, unknown>[]>,
    db.execute(sql`
      SELECT r.id, w.code AS warehouse, locations.code AS location, r.qty, r.order_line_id IS NOT NULL AS is_order,
        coalesce(o.reference, r.reference) AS reference, o.status AS order_status, r.created_at, r.expires_at
      FROM reservations r JOIN locations ON locations.id = r.location_id JOIN warehouses w ON w.id = locations.warehouse_id
      LEFT JOIN order_lines ol ON ol.id = r.order_line_id LEFT JOIN orders o ON o.id = ol.order_id
      WHERE r.product_id = ${product.id} AND r.status = 'active' AND r.qty > 0
      ORDER BY w.code, r.expires_at NULLS LAST, r.created_at`) as unknown as Promise<Record<string, unknown>[]>,
    db.execute(sql`
      SELECT w.code AS warehouse, mv.*
      FROM warehouses w CROSS JOIN LATERAL (
        SELECT m.id, m.created_at, m.kind, locations.code AS location, m.on_hand_delta, m.reserved_delta, m.reason_code, m.actor,
          CASE WHEN m.reference_type = 'order' THEN (SELECT o.reference FROM orders o WHERE o.id = m.reference_id::uuid)
               -- A cart hold is known by the caller's reference, when it gave one.
               WHEN m.reference_type = 'hold' THEN coalesce((SELECT r.reference FROM reservations r
                 WHERE r.hold_id = m.reference_id::uuid AND r.reference IS NOT NULL LIMIT 1), m.reference_id)
               ELSE m.reference_id END AS reference
        FROM stock_movements m JOIN locations ON locations.id = m.location_id
        WHERE m.product_id = ${product.id} AND locations.warehouse_id = w.id
        ORDER BY m.id DESC LIMIT ${MOVES_SHOWN}
      ) mv
      ORDER BY w.code, mv.id DESC`) as unknown as Promise<Record<string, unknown>[]>,
  ]);
  const byCode = new Map<string, WhyWarehouse>();
  const of = (code: string, name?: string) => {
    let w = byCode.get(code);
    if (!w) {
      w = { code, name: name ?? code, available: 0, sellableOnHand: 0, sellableReserved: 0, notSellableOnHand: 0, bins: [], holds: [], moves: [] };
      byCode.set(code, w);
    }
    return w;
  };
  for (const b of bins) {
    // A warehouse that once held the product is listed (its movements explain the zero); empty bins are not.
    const w = of(b.warehouse as string, b.warehouse_name as string);
    if (!b.on_hand && !b.reserved) continue;
    const bin: WhyBin = {
      location: b.location as string,
      kind: b.kind as string,
      sellable: b.sellable as boolean,
      onHand: b.on_hand as number,
      reserved: b.reserved as number,
      available: (b.on_hand as number) - (b.reserved as number),
    };
    w.bins.push(bin);
    if (bin.sellable) {
      w.sellableOnHand += bin.onHand;
      w.sellableReserved += bin.reserved;
      w.available += bin.available;
    } else w.notSellableOnHand += bin.onHand;
  }
  for (const h of holds) {
    of(h.warehouse as string).holds.push({
      id: h.id as string,
      location: h.location as string,
      qty: h.qty as number,
      owner: h.is_order ? 'order' : 'cart',
      reference: (h.reference as string | null) ?? null,
      orderStatus: (h.order_status as string | null) ?? null,
      createdAt: toIso(h.created_at)!,
      expiresAt: toIso(h.expires_at),
    });
  }
  // Movements only for warehouses that hold or held something worth explaining.
  for (const m of moves) {
    const code = m.warehouse as string;
    if (!byCode.has(code)) continue;
    byCode.get(code)!.moves.push({
      id: Number(m.id),
      at: toIso(m.created_at)!,
      kind: m.kind as string,
      location: m.location as string,
      onHandDelta: m.on_hand_delta as number,
      reservedDelta: m.reserved_delta as number,
      reasonCode: (m.reason_code as string | null) ?? null,
      reference: (m.reference as string | null) ?? null,
      actor: m.actor as string,
    });
  }
  const warehouses = [...byCode.values()];
  return { sku: product.sku, name: product.name, available: warehouses.reduce((s, w) => s + w.available, 0), warehouses };
}
