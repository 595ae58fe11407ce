import { getDb } from '@/db/client';
import { StockBrowser } from '@/components/stock/stock-browser';
import { requirePageRole } from '@/server/auth/session';
import { warehousesWithLocations } from '@/server/inventory/read/warehouses';
import { stockListParamsFromUrl } from '@/lib/contracts/stock';

export const metadata = { title: 'Stock · Onhand' };

type Search = Record<string, string | undefined>;

export default async function StockPage({ searchParams }: { searchParams: Promise<Search> }) {
  await requirePageRole('staff');
  const sp = await searchParams;
  const initial = stockListParamsFromUrl(sp);
  const warehouses = await warehousesWithLocations(getDb());
  return <StockBrowser initial={initial} warehouses={warehouses} />;
}
