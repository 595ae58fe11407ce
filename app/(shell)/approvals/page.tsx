import { getDb } from '@/db/client';
import { ApprovalQueue } from '@/components/approvals/approval-queue';
import { PageHeader } from '@/components/ui/page-header';
import { requirePageRole } from '@/server/auth/session';
import { approvalQueue } from '@/server/inventory/read/approval-queue';

export const metadata = { title: 'Approvals · Onhand' };

// Managers only: staff counts beyond the tolerance and large receipts without a purchase order wait here, live.
export default async function ApprovalsPage() {
  await requirePageRole('manager');
  const { rows } = await approvalQueue(getDb());
  return (
    <>
      <PageHeader title="Approvals" />
      <ApprovalQueue rows={rows} />
    </>
  );
}
