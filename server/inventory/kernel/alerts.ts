// Low-stock alert state, kept inside the transaction of the change that moves the stock (invariant 4).
// For each (product, warehouse) a command touched: available = on_hand - reserved over the warehouse's sellable
// locations (availability-rule.ts); at or under the threshold an alert is open (out_of_stock
// at zero), above it the alert is resolved. One unresolved alert per pair: the partial unique index
// alerts_one_unresolved_uq, and a per-pair transaction lock so the last committer always judges the final figure.
// The rule is written once, in SQL (migration 0023); this module names the pairs.
import '#server-only';
import { sql } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import type { Alert } from '@/db/schema';
import { actorRef, type Actor } from './actor';
import type { CommandContext } from './clock';

export type AlertPair = { productId: number; warehouseId: number };
export type AlertKind = Alert['kind'];
type Clock = Pick<CommandContext, 'now' | 'backdated'> & { actor: Actor };

// The pairs of every level the command changed, then their alerts; a command that moved nothing costs nothing.
// A level whose warehouse the change did not report is named by its location; the database looks it up.
export async function evaluateTouched(tx: Tx, ctx: CommandContext): Promise<void> {
  await judge(tx, ctx.touched.map((t) => (t.warehouseId === undefined ? { p: t.productId, l: t.locationId } : { p: t.productId, w: t.warehouseId })), ctx);
}

export async function evaluateAlerts(tx: Tx, pairs: AlertPair[], clock: Clock): Promise<void> {
  await judge(tx, pairs.map((p) => ({ p: p.productId, w: p.warehouseId })), clock);
}

// The judgement itself is the database's (onhand_judge_alerts, migration 0023): its locks, its read and its writes
// in one statement, one round trip whatever the number of pairs.
async function judge(tx: Tx, pairs: ({ p: number; w: number } | { p: number; l: number })[], clock: Clock): Promise<void> {
  if (!pairs.length) return;
  const at = clock.backdated ? clock.now.toISOString() : null;
  await tx.execute(sql`SELECT onhand_judge_alerts(${JSON.stringify(pairs)}::jsonb, ${actorRef(clock.actor)}, ${at}::timestamptz)`);
}
