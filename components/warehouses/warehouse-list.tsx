'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { EmptyState } from '@/components/ui/empty-state';
import { figure, Table } from '@/components/ui/table';
import { warehouseSummariesQuery } from '@/lib/dashboard-api';
import type { WarehouseSummary } from '@/lib/contracts/locations';

// Every warehouse with its bin counts; kept fresh by the feed (a warehouse or bin change, a stock change).
export function WarehouseList({ initial }: { initial: WarehouseSummary[] }) {
  const { data = initial } = useQuery({ ...warehouseSummariesQuery(), initialData: initial });
  if (!data.length) return <EmptyState title="No warehouses yet" />;
  return (
    <Table caption="Warehouses" columns={['Code', 'Name', figure('Bins'), figure('Active bins'), figure('Bins holding stock'), 'Status']}>
      {data.map((w) => (
        <tr key={w.code} className="border-t border-slate-100">
          <td className="px-4 py-2 font-mono">
            <Link href={`/warehouses/${encodeURIComponent(w.code)}`} className="text-brand-700 underline">
              {w.code}
            </Link>
          </td>
          <td className="px-4 py-2">{w.name}</td>
          <td className="px-4 py-2 text-right tabular-nums">{w.bins}</td>
          <td className="px-4 py-2 text-right tabular-nums">{w.activeBins}</td>
          <td className="px-4 py-2 text-right tabular-nums">{w.binsInUse}</td>
          <td className="px-4 py-2">{w.active ? 'Active' : 'Deactivated'}</td>
        </tr>
      ))}
    </Table>
  );
}
