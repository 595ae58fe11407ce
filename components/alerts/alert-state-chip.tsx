import type { ReviewRow } from '@/lib/contracts/alerts';

type Look = { label: string; icon: string; cls: string };
const kinds: Record<'out_of_stock' | 'low_stock' | 'at_risk', Look> = {
  out_of_stock: { label: 'Out of stock', icon: '✕', cls: 'bg-red-50 text-red-800' },
  low_stock: { label: 'Low', icon: '▲', cls: 'bg-amber-50 text-amber-900' },
  at_risk: { label: 'Runs out in lead time', icon: '◔', cls: 'bg-sky-50 text-sky-900' },
};

// What the alert is about, as text and a shape, never colour alone.
export function AlertStateChip({ row }: { row: Pick<ReviewRow, 'kind' | 'forecast'> }) {
  const l = kinds[row.kind ?? 'at_risk'];
  return (
    <span className={`inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ${l.cls}`}>
      <span aria-hidden="true">{l.icon}</span>
      {l.label}
    </span>
  );
}
