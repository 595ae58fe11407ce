import { getDb } from '@/db/client';
import { StockBrowser } from '@/components/stock/stock-browser';
import { requirePageRole } from '@/server/auth/session';
import { STOCK_STATUSES } from '@/lib/contracts/stock-status';
import { stockSorts } from '@/server/inventory/read/stock-list';
import { warehousesWithLocations } from '@/server/inventory/read/warehouses';
import type { StockListParams } from '@/lib/query-keys';

export const metadata = { title: 'Stock · Onhand' };

type Search = Record<string, string | undefined>;

const pick = <T extends string>(values: readonly T[], v: string | undefined) => values.find((x) => x === v);

export default async function StockPage({ searchParams }: { searchParams: Promise<Search> }) {
  await requirePageRole('staff');
  const sp = await searchParams;
  const initial: StockListParams = {
    q: sp.q?.trim() || undefined,
    warehouse: sp.warehouse || undefined,
    location: sp.location || undefined,
    status: pick(STOCK_STATUSES, sp.status),
    sort: pick(stockSorts, sp.sort),
    dir: sp.dir === 'desc' ? 'desc' : sp.dir === 'asc' ? 'asc' : undefined,
    page: Math.max(Number.parseInt(sp.page ?? '1', 10) || 1, 1),
  };
  const warehouses = await warehousesWithLocations(getDb());
  return <StockBrowser initial={initial} warehouses={warehouses} />;
}
