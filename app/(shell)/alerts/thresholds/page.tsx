import Link from 'next/link';
import { BulkThresholdForm } from '@/components/alerts/bulk-threshold-form';
import { PageHeader } from '@/components/ui/page-header';
import { getDb } from '@/db/client';
import { requirePageRole } from '@/server/auth/session';
import { currentThresholds } from '@/server/inventory/read/current-thresholds';

export const metadata = { title: 'Edit thresholds · Onhand' };

// Bulk edit: opened from the alert list with its products filled in, or empty to paste a spreadsheet's cells.
export default async function BulkThresholdsPage({ searchParams }: { searchParams: Promise<{ warehouse?: string; skus?: string }> }) {
  await requirePageRole('manager');
  const sp = await searchParams;
  const skus = (typeof sp.skus === 'string' ? sp.skus.split(',') : []).map((s) => s.trim()).filter(Boolean).slice(0, 1000);
  const warehouse = typeof sp.warehouse === 'string' && sp.warehouse ? sp.warehouse : undefined;
  const { warehouses, rows } = await currentThresholds(getDb(), skus, warehouse);
  const lines = ['sku, threshold, reorder quantity', ...rows.map((r) => `${r.sku}, ${r.threshold}, ${r.reorderQty}`)].join('\n');
  return (
    <div className="space-y-5">
      <PageHeader title="Edit thresholds in bulk">
        <Link href="/alerts" className="inline-flex min-h-11 items-center rounded-md border border-slate-300 bg-white px-3 text-sm font-medium hover:bg-slate-50">
          ← All alerts
        </Link>
      </PageHeader>
      <p className="max-w-2xl text-sm text-slate-600">
        A product at or under its threshold has an alert; one above it has none. Saving re-judges every alert of these products at once. An override for one warehouse wins over
        the product&apos;s default there.
      </p>
      <BulkThresholdForm warehouses={warehouses} warehouse={warehouse} lines={lines} />
    </div>
  );
}
