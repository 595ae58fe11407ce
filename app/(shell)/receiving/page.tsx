import { getDb } from '@/db/client';
import { ReceivingStart } from '@/components/receiving/receiving-start';
import { requirePageRole } from '@/server/auth/session';
import { warehousesWithLocations } from '@/server/inventory/read/warehouses';

export const metadata = { title: 'Receiving · Onhand' };

export default async function ReceivingPage() {
  await requirePageRole('staff');
  const [first] = await warehousesWithLocations(getDb());
  return <ReceivingStart warehouse={first?.code ?? ''} />;
}
