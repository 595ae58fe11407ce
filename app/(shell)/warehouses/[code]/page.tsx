import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getDb } from '@/db/client';
import { ChangeTable } from '@/components/activity/change-table';
import { WarehouseView } from '@/components/warehouses/warehouse-view';
import { activityHref } from '@/lib/contracts/activity';
import { requirePageRole } from '@/server/auth/session';
import { changeActivity } from '@/server/inventory/read/activity';
import { warehousePage } from '@/server/inventory/read/places';

export const metadata = { title: 'Warehouse · Onhand' };

export default async function WarehousePage({ params }: { params: Promise<{ code: string }> }) {
  await requirePageRole('manager');
  const db = getDb();
  const page = await warehousePage(db, decodeURIComponent((await params).code));
  if (!page) notFound();
  const code = page.warehouse.code;
  const changes = await changeActivity(db, { entity: 'warehouse', key: code }, 20);
  return (
    <div className="space-y-8">
      <WarehouseView initial={page} />
      <section aria-labelledby="changes" className="space-y-2">
        <h2 id="changes" className="text-lg font-medium">
          Changes
        </h2>
        {changes.items.length ? (
          <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
            <ChangeTable rows={changes.items} caption="Changes to this warehouse" />
          </div>
        ) : (
          <p className="text-sm text-slate-600">No recorded changes.</p>
        )}
        <Link href={activityHref('changes', { entity: 'location' })} className="text-sm text-brand-700 underline">
          Changes to bins in Activity
        </Link>
      </section>
    </div>
  );
}
