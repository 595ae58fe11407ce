import { getDb } from '@/db/client';
import { AdjustScreen } from '@/components/adjust/adjust-screen';
import { requirePageRole } from '@/server/auth/session';
import { warehousesWithLocations } from '@/server/inventory/read/warehouses';

export const metadata = { title: 'Adjust stock · Onhand' };

// Managers only: staff are sent to the refusal page, and the action checks again.
export default async function AdjustPage() {
  await requirePageRole('manager');
  const warehouses = await warehousesWithLocations(getDb());
  return <AdjustScreen warehouses={warehouses.map((w) => w.code)} />;
}
