// The manager-only rule for large stock changes. A staff member's count that moves a level beyond the tolerance,
// or receipt without a purchase order beyond the limit, is not applied: it is stored as a pending request for a
// manager (approvals.ts), and the command answers ApprovalRequired. Managers' and admins' own changes apply at
// once; so do API keys' and connectors' (their scopes and AMQP_PUBLISHERS are their rule).
import '#server-only';
import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db } from '@/db/client';
import { stockChangeRequests, users } from '@/db/schema';
import { hasRole } from '@/lib/contracts/roles';
import type { CommandOptions } from '../kernel/command';

// Set by approvals.ts on the options of an approved request's command: it is the manager's decision applying.
export const APPROVED = Symbol('an approved stock change request');

export type StockChangeCommand = 'count' | 'close_count' | 'receive';

export class ApprovalRequired extends Error {
  constructor(
    readonly requestId: number,
    readonly why: string,
  ) {
    super(`Sent to a manager for approval: ${why}.`);
    this.name = 'ApprovalRequired';
  }
}

// ONHAND_COUNT_TOLERANCE: units ("10", the default) or a share of the expected figure ("5%"), whichever is named.
export function countTolerance(value = process.env.ONHAND_COUNT_TOLERANCE): { units: number } | { percent: number } {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(value ?? '');
  if (!m) return { units: 10 };
  return m[2] ? { percent: Number(m[1]) } : { units: Math.floor(Number(m[1])) };
}

// ONHAND_RECEIPT_LIMIT_WITHOUT_PO: the most units a staff receipt without a purchase order applies at once (100).
export function receiptLimitWithoutPo(value = process.env.ONHAND_RECEIPT_LIMIT_WITHOUT_PO): number {
  const n = Number(value);
  return value && Number.isSafeInteger(n) && n >= 0 ? n : 100;
}

// How many units a staff count may change a level whose record is `expected`, and the rule in words.
function countAllowance(expected: number): { allowed: number; tolerance: string } {
  const t = countTolerance();
  const allowed = 'units' in t ? t.units : Math.floor((expected * t.percent) / 100);
  return { allowed, tolerance: 'units' in t ? `${t.units} units` : `${t.percent}% (${allowed} units)` };
}

// Why this change needs a manager, or null when it may apply now.
export function whyApproval(command: StockChangeCommand, input: Record<string, unknown>): string | null {
  if (command === 'count') {
    const expected = Number(input.expected);
    const change = Math.abs(Number(input.counted) - expected);
    const { allowed, tolerance } = countAllowance(expected);
    if (change <= allowed) return null;
    return `the count changes ${input.sku} in ${input.location} by ${change} units; staff may change a level by ${tolerance}`;
  }
  if (command === 'close_count') {
    // Closing a bin is one decision: if any line it zeroes is beyond the tolerance, the whole close waits as one
    // request (a manager approves or rejects the bin, not half of it), and nothing is zeroed meanwhile.
    const lines = input.lines as { sku: string; expected: number }[];
    const beyond = lines.filter((l) => l.expected > countAllowance(l.expected).allowed);
    if (beyond.length === 0) return null;
    const words = beyond.map((l) => `${l.sku} by ${l.expected}`).join(', ');
    return `closing the count of ${input.location} sets ${lines.length} unscanned product${lines.length === 1 ? '' : 's'} to 0, changing ${words} units; staff may change a level by ${countAllowance(beyond[0].expected).tolerance}`;
  }
  const limit = receiptLimitWithoutPo();
  if (input.purchaseOrder || Number(input.qty) <= limit) return null;
  return `a receipt of ${input.qty} × ${input.sku} without a purchase order; staff may receive ${limit} without one`;
}

// The guard at the top of count, close count and receive: returns when the change may apply, throws ApprovalRequired (with the
// stored request) when it must wait. Input the schema refuses is left to the command to refuse as usual.
export async function holdForApproval(db: Db, command: StockChangeCommand, schema: z.ZodType, raw: unknown, opts: CommandOptions): Promise<void> {
  if (opts.actor.kind !== 'user' || (opts as { [APPROVED]?: number })[APPROVED]) return;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return;
  const input = parsed.data as Record<string, unknown>;
  const why = whyApproval(command, input);
  if (!why) return;
  const [user] = await db.select({ role: users.role }).from(users).where(eq(users.id, opts.actor.id));
  if (user && hasRole(user.role, 'manager')) return;
  const key = opts.idempotencyKey ?? null;
  const [made] = await db
    .insert(stockChangeRequests)
    .values({ command, input, why, requestedBy: opts.actor.id, requestedByLabel: opts.actor.label, idempotencyKey: key })
    .onConflictDoNothing()
    .returning({ id: stockChangeRequests.id });
  let id = made?.id;
  if (id === undefined && key) {
    // The same form submitted twice: one request.
    const [prior] = await db
      .select({ id: stockChangeRequests.id })
      .from(stockChangeRequests)
      .where(and(eq(stockChangeRequests.requestedBy, opts.actor.id), eq(stockChangeRequests.idempotencyKey, key)));
    id = prior?.id;
  }
  throw new ApprovalRequired(id!, why);
}
