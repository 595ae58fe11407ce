// Low-stock alert state, kept inside the transaction of the change that moves the stock (invariant 4).
// For each (product, warehouse) a command touched: available = on_hand - reserved over the warehouse's sellable
// locations (availability-rule.ts); at or under the threshold an alert is open (out_of_stock
// at zero), above it the alert is resolved. One unresolved alert per pair: the partial unique index
// alerts_one_unresolved_uq, and a per-pair transaction lock so the last committer always judges the final figure.
import '#server-only';
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { alertEvents, alerts, locations, productWarehouseSettings, products, stockLevels, type Alert } from '@/db/schema';
import { actorRef, type Actor } from './actor';
import { bareColumns } from './column-names';
import { commandTime, type CommandContext } from './clock';
import { alertKindFor, availableSql, listedSql } from './availability-rule';
import { together } from './together';

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

const al = bareColumns(alerts);
// What an alert_events row copies from the alert row the statement before it wrote.
const figures = sql`RETURNING ${alerts.id} AS id, ${alerts.kind} AS kind, ${alerts.available} AS available, ${alerts.threshold} AS threshold`;
const ev = bareColumns(alertEvents);
const intoEvents = sql`INSERT INTO ${alertEvents} (${ev.alertId}, ${ev.action}, ${ev.kind}, ${ev.available}, ${ev.threshold}, ${ev.actor}, ${ev.createdAt})`;

async function evaluatePair(tx: Tx, { productId: p, warehouseId: w }: AlertPair, clock: Clock): Promise<void> {
  // Concurrent changes to one pair queue here until the holder commits; the read is a new statement sent after it
  // (together: one round trip, run in that order), so under READ COMMITTED it sees every change committed before
  // the lock was granted, plus this transaction's own.
  const [, [s]] = await together(tx.execute(sql`SELECT pg_advisory_xact_lock(${p}::int, ${w}::int)`), tx
    .select({
      available: sql<number>`(SELECT ${availableSql()} FROM ${stockLevels} JOIN ${locations} ON ${locations.id} = ${stockLevels.locationId}
        WHERE ${stockLevels.productId} = ${p} AND ${locations.warehouseId} = ${w})`,
      threshold: sql<number>`coalesce(${productWarehouseSettings.lowStockThreshold}, ${products.lowStockThreshold})`,
      listed: listedSql(),
      id: alerts.id,
      kind: alerts.kind,
      alertAvailable: alerts.available,
      alertThreshold: alerts.threshold,
    })
    .from(products)
    .leftJoin(productWarehouseSettings, and(eq(productWarehouseSettings.productId, products.id), eq(productWarehouseSettings.warehouseId, w)))
    .leftJoin(alerts, and(eq(alerts.productId, products.id), eq(alerts.warehouseId, w), ne(alerts.status, 'resolved')))
    .where(eq(products.id, p)));
  if (!s) return;
  // An archived product is nobody's to restock: its alerts resolve, and come back if it is restored.
  const want = s.listed ? alertKindFor(s.available, s.threshold) : null;
  const at = commandTime(clock);
  const actor = actorRef(clock.actor);
  if (!s.id && !want) return;
  if (!s.id && want) {
    await tx.execute(sql`
      WITH a AS (
        INSERT INTO ${alerts} (${al.productId}, ${al.warehouseId}, ${al.kind}, ${al.status}, ${al.available}, ${al.threshold}, ${al.openedAt})
        VALUES (${p}, ${w}, ${want}::alert_kind, 'open', ${s.available}, ${s.threshold}, ${at})
        ON CONFLICT (${al.productId}, ${al.warehouseId}) WHERE ${al.status} <> 'resolved' DO NOTHING
        ${figures}
      )
      ${intoEvents}
      SELECT id, 'opened', kind, available, threshold, ${actor}, ${at} FROM a`);
    return;
  }
  if (!want) {
    await tx.execute(sql`
      WITH a AS (
        UPDATE ${alerts} SET ${al.status} = 'resolved', ${al.resolvedAt} = ${at}, ${al.available} = ${s.available}, ${al.threshold} = ${s.threshold},
          ${al.snoozedUntil} = NULL, ${al.version} = ${al.version} + 1
        WHERE ${al.id} = ${s.id} AND ${al.status} <> 'resolved'
        ${figures}
      )
      ${intoEvents}
      SELECT id, 'resolved', kind, available, threshold, ${actor}, ${at} FROM a`);
    return;
  }
  if (want === s.kind && s.available === s.alertAvailable && s.threshold === s.alertThreshold) return;
  // Figures are kept current (the manager's list is live through this row); only a kind change is history.
  // Acknowledged stays acknowledged; a snooze ends when the stock runs out, which is news.
  const event = want !== s.kind ? sql`SELECT id, 'kind_changed'::alert_action, kind, available, threshold, ${actor}, ${at} FROM a` : null;
  const update = sql`
    UPDATE ${alerts} SET ${al.kind} = ${want}::alert_kind, ${al.available} = ${s.available}, ${al.threshold} = ${s.threshold},
      ${al.version} = ${al.version} + 1,
      ${al.snoozedUntil} = ${want === 'out_of_stock' && s.kind === 'low_stock' ? sql`NULL` : al.snoozedUntil}
    WHERE ${al.id} = ${s.id} AND ${al.status} <> 'resolved'
    ${figures}`;
  await tx.execute(event ? sql`WITH a AS (${update}) ${intoEvents} ${event}` : update);
}
