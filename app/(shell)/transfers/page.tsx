import { getDb } from '@/db/client';
import { TransferScreen } from '@/components/transfers/transfer-screen';
import { requirePageRole } from '@/server/auth/session';
import { warehousesWithLocations } from '@/server/inventory/read/warehouses';

export const metadata = { title: 'Transfers · Onhand' };

export default async function TransfersPage() {
  await requirePageRole('staff');
  const warehouses = await warehousesWithLocations(getDb());
  return <TransferScreen warehouses={warehouses.map((w) => w.code)} />;
}
