import { getDb } from '@/db/client';
import { ledgerExportQuery } from '@/lib/contracts/exports';
import { csvExportRoute } from '@/server/dashboard/csv-export';
import { ledgerExportHeader, ledgerExportRows } from '@/server/inventory/read/exports';

export const dynamic = 'force-dynamic';

// Every ledger row with from <= time < to.
export const GET = csvExportRoute('manager', ledgerExportQuery, (q) => ({
  name: `onhand-ledger-${q.warehouse ?? 'all'}-${q.from.toISOString().slice(0, 10)}-to-${q.to.toISOString().slice(0, 10)}.csv`,
  header: ledgerExportHeader,
  rows: ledgerExportRows(getDb(), q),
}));
