// What a manager does with an alert: acknowledge it ("we know, it is handled") or snooze it for a while, each with
// a note that goes into the alert's history. Conditional updates: an alert resolved meanwhile is not touched.
import '#server-only';
import { eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import type { Db, Tx } from '@/db/client';
import { alertEvents, alerts, products, warehouses } from '@/db/schema';
import { actorRef } from '../kernel/actor';
import { bareColumns } from '../kernel/column-names';
import { runCommand, type CommandOptions } from '../kernel/command';
import { InventoryError } from '../kernel/errors';

const alertId = z.uuid({ error: 'must be an alert id' });
const note = z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.string().trim().max(500, 'a note is at most 500 characters').optional());

export const MAX_SNOOZE_HOURS = 14 * 24;

export const acknowledgeAlertInput = z.object({ alertId, note });
export const snoozeAlertInput = z.object({
  alertId,
  hours: z.coerce
    .number({ error: 'choose how long' })
    .int('choose how long')
    .min(1, 'at least an hour')
    .max(MAX_SNOOZE_HOURS, 'at most two weeks'),
  note,
});

export type AlertActionResult = { id: string; sku: string; warehouse: string; status: 'acknowledged' | 'open'; snoozedUntil: string | null };

type Row = { id: string; sku: string; warehouse: string; status: 'acknowledged' | 'open'; snoozed_until: string | null };

// The changed alert, in a CTE of the alerts table's own columns (RETURNING *): this alias names them.
const a = alias(alerts, 'a');
const al = bareColumns(alerts);
const ev = bareColumns(alertEvents);
const changed = sql`SELECT ${a.id} AS id, ${products.sku} AS sku, ${warehouses.code} AS warehouse, ${a.status} AS status, ${a.snoozedUntil} AS snoozed_until
  FROM ${a} JOIN ${products} ON ${products.id} = ${a.productId} JOIN ${warehouses} ON ${warehouses.id} = ${a.warehouseId}`;

export function acknowledgeAlert(db: Db, input: z.input<typeof acknowledgeAlertInput>, opts: CommandOptions): Promise<AlertActionResult> {
  return runCommand(db, { name: 'acknowledgeAlert', schema: acknowledgeAlertInput }, input, opts, async (tx, i) => {
    const actor = actorRef(opts.actor);
    const rows = await tx.execute<Row>(sql`
      WITH ${a} AS (
        UPDATE ${alerts} SET ${al.status} = 'acknowledged', ${al.acknowledgedAt} = now(), ${al.acknowledgedBy} = ${actor},
          ${al.note} = coalesce(${i.note ?? null}, ${al.note}), ${al.snoozedUntil} = NULL, ${al.version} = ${al.version} + 1
        WHERE ${al.id} = ${i.alertId} AND ${al.status} = 'open'
        RETURNING *
      ), e AS (
        INSERT INTO ${alertEvents} (${ev.alertId}, ${ev.action}, ${ev.kind}, ${ev.available}, ${ev.threshold}, ${ev.note}, ${ev.actor})
        SELECT ${a.id}, 'acknowledged', ${a.kind}, ${a.available}, ${a.threshold}, ${i.note ?? null}, ${actor} FROM ${a}
      )
      ${changed}`);
    if (!rows[0]) throw await whyNot(tx, i.alertId, 'acknowledge');
    return result(rows[0]);
  });
}

export function snoozeAlert(db: Db, input: z.input<typeof snoozeAlertInput>, opts: CommandOptions): Promise<AlertActionResult> {
  return runCommand(db, { name: 'snoozeAlert', schema: snoozeAlertInput }, input, opts, async (tx, i) => {
    const actor = actorRef(opts.actor);
    const rows = await tx.execute<Row>(sql`
      WITH ${a} AS (
        UPDATE ${alerts} SET ${al.snoozedUntil} = now() + make_interval(hours => ${i.hours}::int), ${al.note} = coalesce(${i.note ?? null}, ${al.note}),
          ${al.version} = ${al.version} + 1
        WHERE ${al.id} = ${i.alertId} AND ${al.status} = 'open'
        RETURNING *
      ), e AS (
        INSERT INTO ${alertEvents} (${ev.alertId}, ${ev.action}, ${ev.kind}, ${ev.available}, ${ev.threshold}, ${ev.snoozedUntil}, ${ev.note}, ${ev.actor})
        SELECT ${a.id}, 'snoozed', ${a.kind}, ${a.available}, ${a.threshold}, ${a.snoozedUntil}, ${i.note ?? null}, ${actor} FROM ${a}
      )
      ${changed}`);
    if (!rows[0]) throw await whyNot(tx, i.alertId, 'snooze');
    return result(rows[0]);
  });
}

function result(r: Row): AlertActionResult {
  const until = r.snoozed_until === null ? null : new Date(r.snoozed_until).toISOString();
  return { id: r.id, sku: r.sku, warehouse: r.warehouse, status: r.status, snoozedUntil: until };
}

// Words the refusal with the alert as it is now.
async function whyNot(tx: Tx, id: string, verb: string): Promise<InventoryError> {
  const [found] = await tx
    .select({ status: alerts.status, acknowledgedBy: alerts.acknowledgedBy, sku: products.sku, warehouse: warehouses.code })
    .from(alerts)
    .innerJoin(products, eq(products.id, alerts.productId))
    .innerJoin(warehouses, eq(warehouses.id, alerts.warehouseId))
    .where(eq(alerts.id, id));
  if (!found) return new InventoryError('not_found', 'No such alert.', { alertId: id });
  const what = `${found.sku} in ${found.warehouse}`;
  if (found.status === 'resolved') return new InventoryError('invalid_state', `The alert for ${what} is already resolved: stock is back above its threshold.`, { status: found.status });
  const by = found.acknowledgedBy ? ` by ${found.acknowledgedBy.replace(/^user:/, '')}` : '';
  return new InventoryError('invalid_state', `The alert for ${what} was already acknowledged${by}; there is nothing to ${verb}.`, { status: found.status });
}
