import { getDb } from '@/db/client';
import { PickingScreen } from '@/components/picking/picking-screen';
import { requirePageRole } from '@/server/auth/session';
import { warehousesWithLocations } from '@/server/inventory/read/warehouses';

export const metadata = { title: 'Picking · Onhand' };

export default async function PickingPage() {
  await requirePageRole('staff');
  const warehouses = await warehousesWithLocations(getDb());
  return <PickingScreen warehouses={warehouses.map((w) => w.code)} />;
}
