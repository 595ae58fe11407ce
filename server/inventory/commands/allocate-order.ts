import '#server-only';
import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '@/db/client';
import { orderLines, orders, products, reservations } from '@/db/schema';
import { allocationPlan, describePicks, holdChanges, lockCandidates, onCandidates, writeScope, type Allocation, type Plan, type WriteScope } from '../kernel/allocation';
import { runCommand, type CommandOptions } from '../kernel/command';
import { closeHoldRows, lockHolds } from './release';
import { InventoryError } from '../kernel/errors';
import type { Actor } from '../kernel/actor';
import { applyChanges } from '../kernel/levels';
import { mayActOn, ownerKeyOf } from '../kernel/ownership';
import { channel, orderReference, qty, sku, warehouseCode } from '../kernel/schemas';
import { deferred, together } from '../kernel/together';

export const MAX_ORDER_LINES = 500;
export const MAX_HOLDS_PER_ORDER = 100;

export const allocateOrderInput = z.object({
  // The caller's order number, unique within its channel.
  reference: orderReference,
  // Namespaces the reference; when it is a storefront channel's key, the order takes stock only from that channel's
  // warehouses and never its last `buffer` units.
  channel: channel.meta({
    description:
      "Sales channel (default `api`): the reference is unique within it. When it names a storefront channel, the order takes stock only from that channel's warehouses, and never the units it keeps back (its buffer).",
  }),
  // Lines naming the same SKU are added together into one line.
  lines: z
    .array(z.object({ sku, qty }))
    .min(1, 'an order needs at least one line')
    .max(MAX_ORDER_LINES, `an order has at most ${MAX_ORDER_LINES} lines`),
  // Cart holds (POST /reservations ids) this order takes over: their units count towards its lines, in the same
  // transaction, so a checkout never needs stock twice and never lets the held units go in between.
  holds: z
    .array(z.uuid({ error: 'must be a reservation id (UUID)' }))
    .max(MAX_HOLDS_PER_ORDER, `at most ${MAX_HOLDS_PER_ORDER} holds per order`)
    .optional()
    .meta({ description: 'Cart holds (reservation ids) this order takes over: their units count towards its lines in the same transaction.' }),
  // Ship from one place: allocate only in this warehouse's sellable locations. Without it, any warehouse by the rule.
  warehouse: warehouseCode
    .optional()
    .meta({ description: "Allocate only in this warehouse's sellable locations (the order ships from one place). Default: every warehouse, by the allocation rule." }),
});
export type AllocateOrderInput = z.input<typeof allocateOrderInput>;

export type AllocatedLine = { lineNo: number; sku: string; qty: number; allocations: Allocation[] };
export type AllocateOrderResult = { id: string; reference: string; channel: string; status: 'allocated'; lines: AllocatedLine[] };
export type ShortLine = { sku: string; requested: number; available: number };

// Creates the order and holds stock for every line, all or nothing: if one line cannot be filled, nothing is
// written and the error lists each short line with what is available.
export function allocateOrder(db: Db, input: AllocateOrderInput, opts: CommandOptions): Promise<AllocateOrderResult> {
  return runCommand(db, { name: 'allocateOrder', schema: allocateOrderInput }, input, opts, async (tx, i, ctx) => {
    // Two lines of one item are checked as one quantity (two cart lines must not each pass: medusajs/medusa#16502).
    const wanted = new Map<string, number>();
    for (const l of i.lines) wanted.set(l.sku, (wanted.get(l.sku) ?? 0) + l.qty);
    const skus = [...wanted.keys()];
    // The scope is read with the products; an unknown SKU is still the refusal given first.
    const [found, scopeOf] = await together(
      tx.select().from(products).where(inArray(products.sku, skus)),
      deferred(writeScope(tx, { warehouse: i.warehouse, channel: i.channel })),
    );
    const bySku = new Map(found.map((p) => [p.sku, p]));
    const missing = skus.filter((s) => !bySku.has(s));
    if (missing.length) {
      throw new InventoryError('not_found', `No product matches SKU ${missing.map((s) => JSON.stringify(s)).join(', ')}.`, {
        sku: missing[0],
        skus: missing,
      });
    }
    const scope = scopeOf();

    const [order] = await tx
      .insert(orders)
      .values({ channel: i.channel, reference: i.reference, status: 'allocated', createdBy: ctx.actor.label, ownerKeyId: ownerKeyOf(ctx.actor) })
      .onConflictDoNothing()
      .returning();
    if (!order) {
      const [existing] = await tx
        .select({ id: orders.id, status: orders.status, ownerKeyId: orders.ownerKeyId })
        .from(orders)
        .where(and(eq(orders.channel, i.channel), eq(orders.reference, i.reference)));
      // The reference is taken either way; only its owner learns which order holds it.
      const mine = existing && mayActOn(ctx.actor, existing.ownerKeyId);
      throw new InventoryError('conflict', `Order ${i.reference} already exists in channel ${i.channel}.`, {
        reference: i.reference,
        channel: i.channel,
        ...(mine ? { order: existing.id, status: existing.status } : {}),
      });
    }

    const held = i.holds?.length ? await takeOverHolds(tx, ctx.actor, [...new Set(i.holds)], bySku, scope) : [];
    const lock = () =>
      lockCandidates(
        tx,
        found.map((p) => p.id),
        { warehouseIds: scope.warehouseIds, alsoLockLocationIds: held.map((h) => h.locationId) },
      );
    const wants = skus.map((s) => ({ sku: s, productId: bySku.get(s)!.id, qty: wanted.get(s)! }));
    // The cart holds' units the order takes over count toward its lines, past the channel's buffer.
    const plan = () =>
      together(
        ...wants.map((l) =>
          allocationPlan(tx, l.productId, l.qty, {
            warehouseIds: scope.warehouseIds,
            buffer: scope.buffer,
            takenOver: held.filter((h) => h.productId === l.productId).reduce((n, h) => n + h.qty, 0),
          }),
        ),
      );
    let candidates: Awaited<ReturnType<typeof lock>>;
    let raw: Awaited<ReturnType<typeof plan>>;
    if (held.length) {
      // The held units go back to the pool this order allocates from (nothing else can take them meanwhile), then
      // the plan reads the levels with them.
      candidates = await lock();
      await closeHoldRows(tx, ctx, held, { status: 'consumed', reasonCode: 'converted_to_order' });
      raw = await plan();
    } else {
      // The plan's statements follow the locks in the same round trip.
      [candidates, raw] = await together(lock(), plan());
    }
    const plans: { sku: string; productId: number; qty: number; plan: Plan }[] = wants.map((l, n) => ({ ...l, plan: onCandidates(raw[n], candidates, l.productId) }));
    const short: ShortLine[] = plans
      .filter((p) => p.plan.filled < p.qty)
      .map((p) => ({ sku: p.sku, requested: p.qty, available: p.plan.available }));
    if (short.length) {
      const list = short.map((s) => `${s.sku} (${s.available} of ${s.requested})`).join(', ');
      const where = [i.warehouse ? ` in warehouse ${i.warehouse}` : '', scope.channel ? ` for channel ${scope.channel}` : ''].join('');
      throw new InventoryError('insufficient_stock', `Not enough stock for order ${i.reference}${where}: ${list}. Nothing was allocated.`, {
        reference: i.reference,
        ...(i.warehouse ? { warehouse: i.warehouse } : {}),
        lines: short,
      });
    }

    const ref = { referenceType: 'order', referenceId: order.id };
    // The level changes need nothing from the lines: both go in one round trip, the lines' ids then name the holds.
    const [, lines] = await together(
      applyChanges(tx, ctx, plans.flatMap((p) => holdChanges(p.plan.picks, 'allocation', ref))),
      tx
        .insert(orderLines)
        .values(plans.map((p, n) => ({ orderId: order.id, lineNo: n + 1, productId: p.productId, qty: p.qty })))
        .returning(),
    );
    const lineId = new Map(lines.map((l) => [l.lineNo, l.id]));
    await tx.insert(reservations).values(
      plans.flatMap((p, n) =>
        p.plan.picks.map((pick) => ({
          productId: p.productId,
          locationId: pick.candidate.locationId,
          qty: pick.qty,
          orderLineId: lineId.get(n + 1)!,
          reference: order.reference,
          holdId: order.id,
          createdBy: ctx.actor.label,
          ownerKeyId: order.ownerKeyId,
        })),
      ),
    );
    return {
      id: order.id,
      reference: order.reference,
      channel: order.channel,
      status: 'allocated' as const,
      lines: plans.map((p, n) => ({ lineNo: n + 1, sku: p.sku, qty: p.qty, allocations: describePicks(p.plan.picks) })),
    };
  });
}

// The active rows of the given cart holds, locked. A hold that expired or was released meanwhile adds nothing (the
// order then needs free stock for those units); one that belongs to an order, or to an item the order does not
// contain, or that is held in a warehouse the order may not take stock from (its warehouse, its channel's), is refused.
async function takeOverHolds(tx: Tx, actor: Actor, holdIds: string[], bySku: Map<string, { id: number }>, scope: WriteScope) {
  // Another key's holds are unknown here, as they are everywhere.
  const rows = (await lockHolds(tx, holdIds)).filter((r) => mayActOn(actor, r.ownerKeyId));
  const unknown = holdIds.filter((h) => !rows.some((r) => r.holdId === h));
  if (unknown.length) throw new InventoryError('not_found', `No reservation ${unknown.join(', ')}.`, { reservation: unknown[0] });
  for (const r of rows) {
    if (r.orderLineId) throw new InventoryError('invalid_state', `Reservation ${r.holdId} already holds stock for an order.`, { reservation: r.holdId });
    if (!bySku.has(r.sku)) {
      throw new InventoryError('validation_failed', `Reservation ${r.holdId} holds ${r.sku}, which this order does not contain.`, {
        fields: { holds: [`${r.holdId} holds ${r.sku}, which no line orders`] },
      });
    }
    if (scope.warehouseCodes && r.status === 'active' && !scope.warehouseCodes.includes(r.warehouse)) {
      const allowed = scope.warehouseCodes.join(', ');
      throw new InventoryError('validation_failed', `Reservation ${r.holdId} is held in warehouse ${r.warehouse}; this order takes stock from ${allowed}.`, {
        fields: { holds: [`${r.holdId} is held in ${r.warehouse}, not in ${allowed}`] },
      });
    }
  }
  return rows.filter((r) => r.status === 'active');
}
