import { notFound } from 'next/navigation';
import { getDb } from '@/db/client';
import { WarehouseView } from '@/components/warehouses/warehouse-view';
import { requirePageRole } from '@/server/auth/session';
import { warehousePage } from '@/server/inventory/read/places';

export const metadata = { title: 'Warehouse · Onhand' };

export default async function WarehousePage({ params }: { params: Promise<{ code: string }> }) {
  await requirePageRole('manager');
  const page = await warehousePage(getDb(), decodeURIComponent((await params).code));
  if (!page) notFound();
  return <WarehouseView initial={page} />;
}
