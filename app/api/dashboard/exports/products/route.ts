import { getDb } from '@/db/client';
import { productExportQuery } from '@/lib/contracts/exports';
import { csvExportRoute } from '@/server/dashboard/csv-export';
import { productExportHeader, productExportRows } from '@/server/inventory/read/exports';

export const dynamic = 'force-dynamic';

// The catalogue in the columns a product import reads.
export const GET = csvExportRoute('manager', productExportQuery, () => ({
  name: `onhand-products-${new Date().toISOString().slice(0, 10)}.csv`,
  header: productExportHeader,
  rows: productExportRows(getDb()),
}));
