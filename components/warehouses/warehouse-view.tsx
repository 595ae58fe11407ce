'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import type { WarehousePage } from '@/lib/contracts/locations';
import { warehousePageQuery } from '@/lib/dashboard-api';
import { BinPatternForm, NewBinForm } from './bin-forms';
import { BinTable } from './bin-table';
import { RenameWarehouseForm, WarehouseActiveForm } from './warehouse-forms';

// One warehouse: its bins (live: a change by anyone, or a stock movement, refetches them) and the forms that
// create, edit and deactivate them.
export function WarehouseView({ initial }: { initial: WarehousePage }) {
  const { data = initial } = useQuery({ ...warehousePageQuery(initial.warehouse.code, initial.warehouse.id), initialData: initial });
  const { warehouse, bins } = data;
  const active = bins.filter((b) => b.active).length;
  return (
    <div className="space-y-8">
      <PageHeader title={`${warehouse.name}`}>
        <p className="text-sm text-slate-600">
          <Link href="/warehouses" className="text-brand-700 underline">
            Warehouses
          </Link>{' '}
          · <span className="font-mono">{warehouse.code}</span> · {warehouse.active ? 'Active' : 'Deactivated'} · <span data-testid="warehouse-version">version {warehouse.version}</span>
        </p>
      </PageHeader>
      <section aria-labelledby="bins" className="space-y-3">
        <div className="flex flex-wrap items-baseline justify-between gap-3">
          <h2 id="bins" className="text-lg font-medium">
            Bins <span className="text-sm font-normal text-slate-600">({bins.length}, {active} active)</span>
          </h2>
          {bins.some((b) => b.active) ? (
            <Link href={`/labels/bins?warehouse=${encodeURIComponent(warehouse.code)}&all=1`} className="text-sm text-brand-700 underline">
              Print bin labels
            </Link>
          ) : null}
        </div>
        {bins.length ? (
          <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
            <BinTable warehouse={warehouse.code} bins={bins} />
          </div>
        ) : (
          <EmptyState title="No bins yet">Create one below, or many at once by pattern.</EmptyState>
        )}
      </section>
      {warehouse.active ? (
        <>
          <section aria-labelledby="pattern" className="space-y-2">
            <h2 id="pattern" className="text-lg font-medium">
              Create bins by pattern
            </h2>
            <BinPatternForm warehouse={warehouse.code} />
          </section>
          <section aria-labelledby="new-bin" className="space-y-2">
            <h2 id="new-bin" className="text-lg font-medium">
              Create one bin
            </h2>
            <NewBinForm warehouse={warehouse.code} />
          </section>
        </>
      ) : null}
      <section aria-labelledby="rename" className="space-y-2">
        <h2 id="rename" className="text-lg font-medium">
          Name
        </h2>
        <RenameWarehouseForm key={warehouse.version} warehouse={warehouse} />
      </section>
      <section aria-labelledby="deactivate" className="space-y-2">
        <h2 id="deactivate" className="text-lg font-medium">
          {warehouse.active ? 'Deactivate' : 'Reactivate'}
        </h2>
        <WarehouseActiveForm key={warehouse.version} warehouse={warehouse} />
      </section>
    </div>
  );
}
