// What a manager does with an alert: acknowledge it ("we know, it is handled") or snooze it for a while, each with
// a note that goes into the alert's history. Conditional updates: an alert resolved meanwhile is not touched.
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '@/db/client';
import { actorRef } from '../kernel/actor';
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

type Row = { id: string; sku: string; warehouse: string; status: 'acknowledged' | 'open'; snoozed_until: Date | string | null };

export function acknowledgeAlert(db: Db, input: z.input<typeof acknowledgeAlertInput>, opts: CommandOptions): Promise<AlertActionResult> {
  return runCommand(db, { name: 'acknowledgeAlert', schema: acknowledgeAlertInput }, input, opts, async (tx, i) => {
    const actor = actorRef(opts.actor);
    const rows = (await tx.execute(sql`
      WITH a AS (
        UPDATE alerts SET status = 'acknowledged', acknowledged_at = now(), acknowledged_by = ${actor},
          note = coalesce(${i.note ?? null}, note), snoozed_until = NULL, version = version + 1
        WHERE id = ${i.alertId} AND status = 'open'
        RETURNING *
      ), e AS (
        INSERT INTO alert_events (alert_id, action, kind, available, threshold, note, actor)
        SELECT id, 'acknowledged', kind, available, threshold, ${i.note ?? null}, ${actor} FROM a
      )
      SELECT a.id, p.sku, w.code AS warehouse, a.status, a.snoozed_until
      FROM a JOIN products p ON p.id = a.product_id JOIN warehouses w ON w.id = a.warehouse_id`)) as unknown as Row[];
    if (!rows[0]) throw await whyNot(tx, i.alertId, 'acknowledge');
    return result(rows[0]);
  });
}

export function snoozeAlert(db: Db, input: z.input<typeof snoozeAlertInput>, opts: CommandOptions): Promise<AlertActionResult> {
  return runCommand(db, { name: 'snoozeAlert', schema: snoozeAlertInput }, input, opts, async (tx, i) => {
    const actor = actorRef(opts.actor);
    const rows = (await tx.execute(sql`
      WITH a AS (
        UPDATE alerts SET snoozed_until = now() + make_interval(hours => ${i.hours}::int), note = coalesce(${i.note ?? null}, note),
          version = version + 1
        WHERE id = ${i.alertId} AND status = 'open'
        RETURNING *
      ), e AS (
        INSERT INTO alert_events (alert_id, action, kind, available, threshold, snoozed_until, note, actor)
        SELECT id, 'snoozed', kind, available, threshold, snoozed_until, ${i.note ?? null}, ${actor} FROM a
      )
      SELECT a.id, p.sku, w.code AS warehouse, a.status, a.snoozed_until
      FROM a JOIN products p ON p.id = a.product_id JOIN warehouses w ON w.id = a.warehouse_id`)) as unknown as Row[];
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
  const [a] = (await tx.execute(sql`
    SELECT a.status, a.acknowledged_by, p.sku, w.code AS warehouse FROM alerts a
    JOIN products p ON p.id = a.product_id JOIN warehouses w ON w.id = a.warehouse_id WHERE a.id = ${id}`)) as unknown as {
    status: string;
    acknowledged_by: string | null;
    sku: string;
    warehouse: string;
  }[];
  if (!a) return new InventoryError('not_found', 'No such alert.', { alertId: id });
  const what = `${a.sku} in ${a.warehouse}`;
  if (a.status === 'resolved') return new InventoryError('invalid_state', `The alert for ${what} is already resolved: stock is back above its threshold.`, { status: a.status });
  const by = a.acknowledged_by ? ` by ${a.acknowledged_by.replace(/^user:/, '')}` : '';
  return new InventoryError('invalid_state', `The alert for ${what} was already acknowledged${by}; there is nothing to ${verb}.`, { status: a.status });
}
