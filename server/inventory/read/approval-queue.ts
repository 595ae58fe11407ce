// What waits for a manager, as the Approvals page and the navigation's badge show it.
import '#server-only';
import { count, eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { stockChangeRequests } from '@/db/schema';
import type { ApprovalQueue } from '@/lib/contracts/approvals';
import { pendingStockChanges } from '../commands/approvals';

export async function approvalQueue(db: Db): Promise<ApprovalQueue> {
  const rows = await pendingStockChanges(db);
  return {
    rows: rows.map((r) => ({ id: r.id, command: r.command, why: r.why, requestedBy: r.requestedByLabel, createdAt: r.createdAt.toISOString() })),
  };
}

export async function pendingApprovalCount(db: Db): Promise<number> {
  const [r] = await db.select({ n: count() }).from(stockChangeRequests).where(eq(stockChangeRequests.status, 'pending'));
  return r.n;
}
