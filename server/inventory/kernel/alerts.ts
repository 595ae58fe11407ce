// Low-stock alert state, kept inside the transaction of the change that moves the stock (invariant 4).
// For each (product, warehouse) a command touched: available = on_hand - reserved over the warehouse's sellable
// locations (availability-rule.ts); at or under the threshold an alert is open (out_of_stock
// at zero), above it the alert is resolved. One unresolved alert per pair: the partial unique index
// alerts_one_unresolved_uq, and a per-pair transaction lock so the last committer always judges the final figure.
import '#server-only';
import { inArray, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { alertEvents, alerts, locations, productWarehouseSettings, products, stockLevels, type Alert } from '@/db/schema';
import { actorRef, type Actor } from './actor';
import { bareColumns } from './column-names';
import { commandTime, type CommandContext } from './clock';
import { together } from './together';
import { alertKindFor, availableSql, listedSql } from './availability-rule';

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
  if (!ordered.length) return;
  // Every judgment first takes its warehouses' lock (in warehouse order, before any pair lock): shared, then a lock
  // per pair; or, for more pairs than a part holds, exclusive and no pair locks, since an opening-stock import
  // touches 100,000 pairs and a lock each would overflow the server's lock table.
  const whole = ordered.length > PART;
  const whs = [...new Set(ordered.map((p) => p.warehouseId))].sort((a, b) => a - b).map((w) => ({ w }));
  const lock = whole ? sql`pg_advisory_xact_lock` : sql`pg_advisory_xact_lock_shared`;
  const warehouseLocks = sql`SELECT ${lock}(0, t.w) FROM jsonb_to_recordset(${JSON.stringify(whs)}::jsonb) AS t(w integer)`;
  if (!whole) return evaluatePairs(tx, ordered, clock, warehouseLocks);
  await tx.execute(warehouseLocks);
  // In parts, each judged in a few round trips whatever its size.
  for (let i = 0; i < ordered.length; i += PART) await evaluatePairs(tx, ordered.slice(i, i + PART), clock, null);
}

const PART = 1_000;

const al = bareColumns(alerts);
// What an alert_events row copies from the alert row the statement before it wrote.
const figures = sql`RETURNING ${alerts.id} AS id, ${alerts.kind} AS kind, ${alerts.available} AS available, ${alerts.threshold} AS threshold`;
const ev = bareColumns(alertEvents);
const intoEvents = sql`INSERT INTO ${alertEvents} (${ev.alertId}, ${ev.action}, ${ev.kind}, ${ev.available}, ${ev.threshold}, ${ev.actor}, ${ev.createdAt})`;

type PairState = {
  p: number;
  w: number;
  available: number;
  threshold: number;
  listed: boolean;
  id: Alert['id'] | null;
  kind: AlertKind | null;
  alert_available: number | null;
  alert_threshold: number | null;
};

type Judged = PairState & { want: AlertKind | null };

// `warehouseLocks`: taken first, sent with the pair locks; null when the warehouses are already locked exclusive.
async function evaluatePairs(tx: Tx, pairs: AlertPair[], clock: Clock, warehouseLocks: SQL | null): Promise<void> {
  const t = sql`jsonb_to_recordset(${JSON.stringify(pairs.map((p) => ({ p: p.productId, w: p.warehouseId })))}::jsonb) AS t(p integer, w integer)`;
  // Concurrent changes to one pair queue here until the holder commits (the locks are taken in the order given: a
  // function scan runs row by row); the read below is a new statement, so under READ COMMITTED it sees every change
  // committed before the locks were granted, plus this transaction's own.
  // The locks and the read are sent together (one round trip): PostgreSQL runs them in that order.
  const read = sql`
    SELECT t.p, t.w,
      (SELECT ${availableSql()} FROM ${stockLevels} JOIN ${locations} ON ${locations.id} = ${stockLevels.locationId}
        WHERE ${stockLevels.productId} = t.p AND ${locations.warehouseId} = t.w) AS available,
      coalesce(${productWarehouseSettings.lowStockThreshold}, ${products.lowStockThreshold}) AS threshold,
      ${listedSql()} AS listed, ${alerts.id} AS id, ${alerts.kind} AS kind, ${alerts.available} AS alert_available, ${alerts.threshold} AS alert_threshold
    FROM ${t}
    JOIN ${products} ON ${products.id} = t.p
    LEFT JOIN ${productWarehouseSettings} ON ${productWarehouseSettings.productId} = t.p AND ${productWarehouseSettings.warehouseId} = t.w
    LEFT JOIN ${alerts} ON ${alerts.productId} = t.p AND ${alerts.warehouseId} = t.w AND ${alerts.status} <> 'resolved'`;
  const states = warehouseLocks
    ? (await together(tx.execute(warehouseLocks), tx.execute(sql`SELECT pg_advisory_xact_lock(t.p, t.w) FROM ${t}`), tx.execute<PairState>(read)))[2]
    : await tx.execute<PairState>(read);
  // New alerts in one statement (an opening-stock import opens thousands); the other pairs' writes are
  // independent: sent together, run in order on the transaction's connection.
  // An archived product is nobody's to restock: its alerts resolve, and come back if it is restored.
  const judged = states.map((s) => ({ ...s, want: s.listed ? alertKindFor(s.available, s.threshold) : null }));
  await together(open(tx, judged.filter((s) => !s.id && s.want), clock), ...judged.filter((s) => s.id).map((s) => judge(tx, s, clock)));
}

async function open(tx: Tx, pairs: Judged[], clock: Clock): Promise<void> {
  if (!pairs.length) return;
  const at = commandTime(clock);
  const rows = JSON.stringify(pairs.map((s) => ({ p: s.p, w: s.w, kind: s.want, available: s.available, threshold: s.threshold })));
  await tx.execute(sql`
    WITH a AS (
      INSERT INTO ${alerts} (${al.productId}, ${al.warehouseId}, ${al.kind}, ${al.status}, ${al.available}, ${al.threshold}, ${al.openedAt})
      SELECT v.p, v.w, v.kind::alert_kind, 'open', v.available, v.threshold, ${at}
      FROM jsonb_to_recordset(${rows}::jsonb) AS v(p integer, w integer, kind text, available integer, threshold integer)
      ON CONFLICT (${al.productId}, ${al.warehouseId}) WHERE ${al.status} <> 'resolved' DO NOTHING
      ${figures}
    )
    ${intoEvents}
    SELECT id, 'opened', kind, available, threshold, ${actorRef(clock.actor)}, ${at} FROM a`);
}

// A pair that has an unresolved alert: resolved, or its kind and figures kept current.
async function judge(tx: Tx, s: Judged, clock: Clock): Promise<void> {
  const { want } = s;
  const at = commandTime(clock);
  const actor = actorRef(clock.actor);
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
  if (want === s.kind && s.available === s.alert_available && s.threshold === s.alert_threshold) return;
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
