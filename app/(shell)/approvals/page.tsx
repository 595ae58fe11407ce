import { getDb } from '@/db/client';
import { ApprovalQueue } from '@/components/approvals/approval-queue';
import { PageHeader } from '@/components/ui/page-header';
import { requirePageRole } from '@/server/auth/session';
import { pendingStockChanges } from '@/server/inventory';

export const metadata = { title: 'Approvals · Onhand' };

// Managers only: staff counts beyond the tolerance and large receipts without a purchase order wait here.
export default async function ApprovalsPage() {
  await requirePageRole('manager');
  const rows = await pendingStockChanges(getDb());
  return (
    <>
      <PageHeader title="Approvals" />
      <ApprovalQueue
        rows={rows.map((r) => ({
          id: r.id,
          command: r.command,
          why: r.why,
          requestedBy: r.requestedByLabel,
          createdAt: r.createdAt.toISOString(),
        }))}
      />
    </>
  );
}
