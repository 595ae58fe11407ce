import type { StockStatus } from '@/lib/contracts/stock-status';

const look: Record<StockStatus, { label: string; icon: string; cls: string }> = {
  in_stock: { label: 'In stock', icon: '●', cls: 'bg-emerald-50 text-emerald-800' },
  low_stock: { label: 'Low', icon: '▲', cls: 'bg-amber-50 text-amber-900' },
  out_of_stock: { label: 'Out', icon: '✕', cls: 'bg-red-50 text-red-800' },
};

// Status as text and a shape, never colour alone.
export function StatusChip({ status }: { status: StockStatus }) {
  const l = look[status];
  return (
    <span className={`inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium ${l.cls}`}>
      <span aria-hidden="true">{l.icon}</span>
      {l.label}
    </span>
  );
}
