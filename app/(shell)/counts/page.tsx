import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { requirePageRole } from '@/server/auth/session';

export const metadata = { title: 'Counts · Onhand' };

export default async function CountsPage() {
  await requirePageRole('staff');
  return (
    <>
      <PageHeader title="Counts" />
      <EmptyState title="No counts in progress">Counts that are started appear here.</EmptyState>
    </>
  );
}
