// Low-stock alert state, kept inside the transaction of the change that moves the stock (invariant 4).
// For each (product, warehouse) a command touched: available = on_hand - reserved over the warehouse's sellable
// locations (availability-rule.ts); at or under the threshold an alert is open (out_of_stock
// at zero), above it the alert is resolved. One unresolved alert per pair: the partial unique index
// alerts_one_unresolved_uq, and a per-pair transaction lock so the last committer always judges the final figure.
import { inArray, sql } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { locations, type Alert } from '@/db/schema';
import { actorRef, type Actor } from './actor';
import { commandTime, type CommandContext } from './clock';
import { alertKindFor, listedSql, sellableSql } from './availability-rule';

export type AlertPair = { productId: number; warehouseId: number };
export type AlertKind = Alert['kind'];
type Clock = Pick<CommandContext, 'now' | 'backdated'> & { actor: Actor };

// The pairs of every level the command changed, then their alerts; a command that moved nothing costs nothing.
export async function evaluateTouched(tx: Tx, ctx: CommandContext): Promise<void> {
  if (!ctx.touched.length) return;
  // Level changes report their warehouse; only a level touched some other way is looked up.
  const locationIds = [...new Set(ctx.touched.filter((t) => t.warehouseId === undefined).map((t) => t.locationId))];
  const rows = locationIds.length
    ? await tx.select({ id: locations.id, warehouseId: locations.warehouseId }).from(locations).where(inArray(locations.id, locationIds))
    : [];
  const warehouseOf = new Map(rows.map((r) => [r.id, r.warehouseId]));
  const pairs = ctx.touched.map((t) => ({ productId: t.productId, warehouseId: t.warehouseId ?? warehouseOf.get(t.locationId)! }));
  await evaluateAlerts(tx, pairs, ctx);
}

export async function evaluateAlerts(tx: Tx, pairs: AlertPair[], clock: Clock): Promise<void> {
  const unique = new Map(pairs.map((p) => [`${p.productId}:${p.warehouseId}`, p]));
  // One order for every transaction (product, then warehouse), after its stock rows: no lock cycles.
  const ordered = [...unique.values()].sort((a, b) => a.productId - b.productId || a.warehouseId - b.warehouseId);
  for (const pair of ordered) await evaluatePair(tx, pair, clock);
}

type PairState = { listed: boolean; available: number; threshold: number; id: string | null; kind: AlertKind | null; alert_available: number | null; alert_threshold: number | null };

async function evaluatePair(tx: Tx, { productId: p, warehouseId: w }: AlertPair, clock: Clock): Promise<void> {
  // Concurrent changes to one pair queue here until the holder commits; the read below is a new statement, so
  // under READ COMMITTED it sees every change committed before the lock was granted, plus this transaction's own.
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${p}::int, ${w}::int)`);
  const [s] = (await tx.execute(sql`
    SELECT
      (SELECT coalesce(sum(s.on_hand - s.reserved), 0)::int FROM stock_levels s JOIN locations ON locations.id = s.location_id
        WHERE s.product_id = ${p} AND locations.warehouse_id = ${w} AND ${sellableSql()}) AS available,
      coalesce(pws.low_stock_threshold, pr.low_stock_threshold) AS threshold, ${listedSql({ active: sql`pr.active` })} AS listed,
      a.id, a.kind, a.available AS alert_available, a.threshold AS alert_threshold
    FROM products pr
    LEFT JOIN product_warehouse_settings pws ON pws.product_id = pr.id AND pws.warehouse_id = ${w}
    LEFT JOIN alerts a ON a.product_id = pr.id AND a.warehouse_id = ${w} AND a.status <> 'resolved'
    WHERE pr.id = ${p}`)) as unknown as PairState[];
  if (!s) return;
  // An archived product is nobody's to restock: its alerts resolve, and come back if it is restored.
  const want = s.listed ? alertKindFor(s.available, s.threshold) : null;
  const at = commandTime(clock);
  const actor = actorRef(clock.actor);
  if (!s.id && !want) return;
  if (!s.id && want) {
    await tx.execute(sql`
      WITH a AS (
        INSERT INTO alerts (product_id, warehouse_id, kind, status, available, threshold, opened_at)
        VALUES (${p}, ${w}, ${want}::alert_kind, 'open', ${s.available}, ${s.threshold}, ${at})
        ON CONFLICT (product_id, warehouse_id) WHERE status <> 'resolved' DO NOTHING
        RETURNING id, kind, available, threshold
      )
      INSERT INTO alert_events (alert_id, action, kind, available, threshold, actor, created_at)
      SELECT id, 'opened', kind, available, threshold, ${actor}, ${at} FROM a`);
    return;
  }
  if (!want) {
    await tx.execute(sql`
      WITH a AS (
        UPDATE alerts SET status = 'resolved', resolved_at = ${at}, available = ${s.available}, threshold = ${s.threshold},
          snoozed_until = NULL, version = version + 1
        WHERE id = ${s.id} AND status <> 'resolved'
        RETURNING id, kind, available, threshold
      )
      INSERT INTO alert_events (alert_id, action, kind, available, threshold, actor, created_at)
      SELECT id, 'resolved', kind, available, threshold, ${actor}, ${at} FROM a`);
    return;
  }
  if (want === s.kind && s.available === s.alert_available && s.threshold === s.alert_threshold) return;
  // Figures are kept current (the manager's list is live through this row); only a kind change is history.
  // Acknowledged stays acknowledged; a snooze ends when the stock runs out, which is news.
  const event = want !== s.kind ? sql`SELECT id, 'kind_changed'::alert_action, kind, available, threshold, ${actor}, ${at} FROM a` : null;
  const update = sql`
    UPDATE alerts SET kind = ${want}::alert_kind, available = ${s.available}, threshold = ${s.threshold}, version = version + 1,
      snoozed_until = ${want === 'out_of_stock' && s.kind === 'low_stock' ? sql`NULL` : sql`snoozed_until`}
    WHERE id = ${s.id} AND status <> 'resolved'
    RETURNING id, kind, available, threshold`;
  await tx.execute(
    event
      ? sql`WITH a AS (${update}) INSERT INTO alert_events (alert_id, action, kind, available, threshold, actor, created_at) ${event}`
      : update,
  );
}
