// A manager's decision on a held stock change (approval-guard.ts). Approving applies it through its core command,
// as the staff member who asked (their name stays on the ledger row; the request records who approved), under the
// idempotency key `approval:<id>`, so approving twice, or two managers at once, applies it once. Rejecting needs a
// reason and writes nothing to stock.
import '#server-only';
import { and, asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { stockChangeRequests, type StockChangeRequest } from '@/db/schema';
import type { Actor } from '../kernel/actor';
import { InventoryError, invalidInput } from '../kernel/errors';
import { APPROVED } from './approval-guard';
import { closeCount, type CloseCountInput } from './close-count';
import { count, type CountInput } from './count';
import { receive, type ReceiveInput } from './receive';

export const decisionInput = z.object({
  id: z.coerce.number({ error: 'Choose a request' }).int().positive().max(Number.MAX_SAFE_INTEGER),
  reason: z.string().trim().max(500, 'At most 500 characters').optional(),
});

export type Decision = { id: number; status: 'approved' | 'rejected'; movementId: number | null };

export async function approveStockChange(db: Db, id: number, manager: Actor): Promise<Decision> {
  const row = await find(db, id);
  if (row.status === 'rejected') throw rejectedAlready(id);
  if (row.movementId !== null) return { id, status: 'approved', movementId: row.movementId };
  // The decision commits with the change it approves, in the command's transaction: never approved but not applied
  // (a crash between the two), never out of the queue before the stock moved. A rejection that commits first wins
  // (onhand_decide_approval).
  const opts = {
    actor: { kind: 'user', id: row.requestedBy, label: row.requestedByLabel } as Actor,
    idempotencyKey: `approval:${row.id}`,
    approval: { id: row.id, by: manager.label },
    [APPROVED]: row.id,
  };
  const applied =
    row.command === 'count'
      ? await count(db, row.input as CountInput, opts)
      : row.command === 'close_count'
        ? await closeCount(db, row.input as CloseCountInput, opts)
        : await receive(db, row.input as ReceiveInput, opts);
  return { id, status: 'approved', movementId: applied.movementId };
}

const rejectedAlready = (id: number) => new InventoryError('invalid_state', `Request ${id} was rejected; it cannot be approved.`, { id });

export async function rejectStockChange(db: Db, id: number, reason: string | undefined, manager: Actor): Promise<Decision> {
  if (!reason?.trim()) throw invalidInput({ reason: ['Say why, for the person who asked'] });
  const [rejected] = await db
    .update(stockChangeRequests)
    .set({ status: 'rejected', decidedBy: manager.label, decidedAt: new Date(), rejectReason: reason.trim() })
    .where(and(eq(stockChangeRequests.id, id), eq(stockChangeRequests.status, 'pending')))
    .returning();
  if (rejected) return { id, status: 'rejected', movementId: null };
  const row = await find(db, id);
  if (row.status === 'rejected') return { id, status: 'rejected', movementId: null };
  throw new InventoryError('invalid_state', `Request ${id} was already approved.`, { id });
}

// The manager's queue: what waits, oldest first.
export function pendingStockChanges(db: Db, limit = 200): Promise<StockChangeRequest[]> {
  return db.select().from(stockChangeRequests).where(eq(stockChangeRequests.status, 'pending')).orderBy(asc(stockChangeRequests.createdAt)).limit(limit);
}

async function find(db: Db, id: number): Promise<StockChangeRequest> {
  const [row] = await db.select().from(stockChangeRequests).where(eq(stockChangeRequests.id, id));
  if (!row) throw new InventoryError('not_found', `No request ${id}.`, { id });
  return row;
}
