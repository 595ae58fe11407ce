import { getDb } from '@/db/client';
import { CountScreen } from '@/components/counts/count-screen';
import { requirePageRole } from '@/server/auth/session';
import { warehousesWithLocations } from '@/server/inventory/read/warehouses';

export const metadata = { title: 'Counts · Onhand' };

export default async function CountsPage() {
  await requirePageRole('staff');
  const warehouses = await warehousesWithLocations(getDb());
  return <CountScreen warehouses={warehouses.map((w) => w.code)} />;
}
