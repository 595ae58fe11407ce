import { getDb } from '@/db/client';
import { ReceiptScreen } from '@/components/receiving/receipt-screen';
import { requirePageRole } from '@/server/auth/session';
import { warehousesWithLocations } from '@/server/inventory/read/warehouses';

export const metadata = { title: 'Receive · Onhand' };

export default async function ReceiptPage({ searchParams }: { searchParams: Promise<{ po?: string }> }) {
  await requirePageRole('staff');
  const { po } = await searchParams;
  const warehouses = await warehousesWithLocations(getDb());
  const options = warehouses.map((w) => ({ code: w.code, receivingBins: w.locations.filter((l) => l.kind === 'receiving').map((l) => l.code) }));
  // A new key per purchase order: leaving one receipt for another starts a fresh screen.
  return <ReceiptScreen key={po ?? ''} reference={po?.trim() || null} warehouses={options} />;
}
