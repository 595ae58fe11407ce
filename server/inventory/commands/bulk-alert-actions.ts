// Acknowledge or snooze many alerts at once: the ones a manager ticked, or every alert matching the review's filter.
// One command each, one transaction: the alerts are locked in the core's order (product, then warehouse, as the
// stock commands lock them), changed by one conditional UPDATE with one history row each, and the answer says how
// many matched and how many changed (an alert resolved or acknowledged meanwhile is left alone).
import '#server-only';
import { sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import type { Db, Tx } from '@/db/client';
import { alertEvents, alerts } from '@/db/schema';
import { actorRef } from '../kernel/actor';
import { bareColumns } from '../kernel/column-names';
import { runCommand, type CommandOptions } from '../kernel/command';
import { invalidInput } from '../kernel/errors';
import { warehouseCode } from '../kernel/schemas';
import { MAX_SNOOZE_HOURS } from './alert-actions';
import { reviewParams } from '../read/alert-review';
import { hashJoinsOnly, matchingAlertIds } from '../read/review-candidates';
import { MAX_BULK_ALERTS, REVIEW_STATUSES, REVIEW_URGENCIES, type BulkAlertResult } from '@/lib/contracts/alerts';

const note = z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.string().trim().max(500, 'a note is at most 500 characters').optional());

// The review's filter, as the page shows it; the command reads the matching alerts itself, as of its own clock.
export const reviewFilterInput = z.object({
  warehouse: warehouseCode.optional(),
  status: z.enum(REVIEW_STATUSES).optional(),
  urgency: z.enum(REVIEW_URGENCIES).optional(),
  q: z.string().trim().max(100).optional(),
  windowDays: z.number().int().min(1).max(365).optional(),
  targetDays: z.number().int().min(1).max(365).optional(),
});

const target = {
  alertIds: z
    .array(z.uuid({ error: 'must be alert ids' }))
    .min(1, 'choose at least one alert')
    .max(MAX_BULK_ALERTS, `at most ${MAX_BULK_ALERTS.toLocaleString('en')} alerts at once`)
    .optional(),
  filter: reviewFilterInput.optional(),
};
const oneTarget = (i: { alertIds?: unknown; filter?: unknown }) => (i.alertIds === undefined) !== (i.filter === undefined);
const oneTargetError = { error: 'choose alerts, or all matching the filter', path: ['alertIds'] };

export const bulkAcknowledgeInput = z.object({ ...target, note }).refine(oneTarget, oneTargetError);
export const bulkSnoozeInput = z
  .object({
    ...target,
    hours: z.coerce.number({ error: 'choose how long' }).int('choose how long').min(1, 'at least an hour').max(MAX_SNOOZE_HOURS, 'at most two weeks'),
    note,
  })
  .refine(oneTarget, oneTargetError);

const ev = bareColumns(alertEvents);
const al = bareColumns(alerts);
const a = alias(alerts, 'a');

// The alerts the command is about: the ids given, or those matching the filter now (open or snoozed: the ones a
// person can still acknowledge or snooze). More than the bound is refused before anything changes.
async function targets(tx: Tx, i: { alertIds?: string[]; filter?: z.output<typeof reviewFilterInput> }): Promise<string[]> {
  if (i.alertIds) return [...new Set(i.alertIds)];
  await tx.execute(hashJoinsOnly);
  const rows = await tx.execute<{ alert_id: string }>(
    sql`${matchingAlertIds(reviewParams(i.filter!), ['open', 'snoozed'])} LIMIT ${MAX_BULK_ALERTS + 1}`,
  );
  await tx.execute(sql`SET LOCAL enable_nestloop = on`);
  if (rows.length > MAX_BULK_ALERTS) {
    throw invalidInput({ filter: [`more than ${MAX_BULK_ALERTS.toLocaleString('en')} alerts match: narrow the filter (a warehouse, a status, an urgency)`] });
  }
  return rows.map((r) => r.alert_id);
}

// One array parameter (ids are checked uuids), not one parameter per id.
const uuidArray = (ids: string[]) => `{${ids.join(',')}}`;

// Locks the still-open alerts among the ids in the core's order, applies `set`, and writes one event per change.
async function change(tx: Tx, ids: string[], set: ReturnType<typeof sql>, event: ReturnType<typeof sql>): Promise<number> {
  if (!ids.length) return 0;
  const [r] = await tx.execute<{ changed: number }>(sql`
    WITH locked AS (
      SELECT ${alerts.id} FROM ${alerts} WHERE ${alerts.id} = ANY(${uuidArray(ids)}::uuid[]) AND ${alerts.status} = 'open'
      ORDER BY ${alerts.productId}, ${alerts.warehouseId} FOR UPDATE
    ), ${a} AS (
      UPDATE ${alerts} SET ${set}, ${al.version} = ${al.version} + 1
      WHERE ${al.id} IN (SELECT id FROM locked)
      RETURNING *
    ), e AS (
      INSERT INTO ${alertEvents} (${ev.alertId}, ${ev.action}, ${ev.kind}, ${ev.available}, ${ev.threshold}, ${ev.snoozedUntil}, ${ev.note}, ${ev.actor})
      ${event}
    )
    SELECT count(*)::int AS changed FROM ${a}`);
  return r.changed;
}

export function acknowledgeAlerts(db: Db, input: z.input<typeof bulkAcknowledgeInput>, opts: CommandOptions): Promise<BulkAlertResult> {
  return runCommand(db, { name: 'acknowledgeAlerts', schema: bulkAcknowledgeInput }, input, opts, async (tx, i) => {
    const actor = actorRef(opts.actor);
    const ids = await targets(tx, i);
    const changed = await change(
      tx,
      ids,
      sql`${al.status} = 'acknowledged', ${al.acknowledgedAt} = now(), ${al.acknowledgedBy} = ${actor},
        ${al.note} = coalesce(${i.note ?? null}, ${al.note}), ${al.snoozedUntil} = NULL`,
      sql`SELECT ${a.id}, 'acknowledged', ${a.kind}, ${a.available}, ${a.threshold}, NULL::timestamptz, ${i.note ?? null}, ${actor} FROM ${a}`,
    );
    return { matched: ids.length, changed };
  });
}

export function snoozeAlerts(db: Db, input: z.input<typeof bulkSnoozeInput>, opts: CommandOptions): Promise<BulkAlertResult> {
  return runCommand(db, { name: 'snoozeAlerts', schema: bulkSnoozeInput }, input, opts, async (tx, i) => {
    const actor = actorRef(opts.actor);
    const ids = await targets(tx, i);
    const changed = await change(
      tx,
      ids,
      sql`${al.snoozedUntil} = now() + make_interval(hours => ${i.hours}::int), ${al.note} = coalesce(${i.note ?? null}, ${al.note})`,
      sql`SELECT ${a.id}, 'snoozed', ${a.kind}, ${a.available}, ${a.threshold}, ${a.snoozedUntil}, ${i.note ?? null}, ${actor} FROM ${a}`,
    );
    return { matched: ids.length, changed };
  });
}
