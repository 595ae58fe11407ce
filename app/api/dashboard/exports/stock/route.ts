import { getDb } from '@/db/client';
import { stockExportQuery } from '@/lib/contracts/exports';
import { csvExportRoute } from '@/server/dashboard/csv-export';
import { stockAsOfHeader, stockAsOfRows } from '@/server/inventory/read/exports';

export const dynamic = 'force-dynamic';

// Stock per bin as of an instant (default now), summed from the ledger.
export const GET = csvExportRoute('manager', stockExportQuery, (q) => {
  const asOf = q.asOf ?? new Date();
  return {
    name: `onhand-stock-${q.warehouse ?? 'all'}-as-of-${asOf.toISOString().slice(0, 16).replace(/[-:]/g, '')}.csv`,
    header: stockAsOfHeader,
    rows: stockAsOfRows(getDb(), { asOf, warehouse: q.warehouse }),
  };
});
