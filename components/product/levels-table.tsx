import type { LevelRow } from '@/lib/contracts/product';
import { figure, Table } from '@/components/ui/table';

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' }) : '—');

// One row per bin, with the row's version: the figure a realtime message must follow to be applied.
export function LevelsTable({ levels }: { levels: LevelRow[] }) {
  if (levels.length === 0) return <p className="px-4 py-3 text-sm text-slate-600">No stock has ever been in a bin.</p>;
  return (
    <Table
      caption="Stock levels per location"
      compact
      columns={['Warehouse', 'Bin', 'Kind', figure('On hand'), figure('Reserved'), figure('Available'), figure('Version'), 'Last counted', 'Updated']}
    >
      {levels.map((l) => (
        <tr key={l.locationId} className="h-11 border-t border-slate-100" data-location={`${l.warehouse}:${l.location}`}>
          <td className="px-3">{l.warehouse}</td>
          <td className="px-3 font-mono">{l.location}</td>
          <td className="px-3 capitalize">
            {l.locationKind}
            {l.sellable ? '' : <span className="text-slate-500"> · not sellable</span>}
          </td>
          <td className="px-3 text-right tabular-nums">{l.onHand}</td>
          <td className="px-3 text-right tabular-nums">{l.reserved}</td>
          <td className="px-3 text-right font-medium tabular-nums">{l.available}</td>
          <td className="px-3 text-right text-slate-500 tabular-nums">{l.version}</td>
          <td className="px-3 whitespace-nowrap text-slate-600">{when(l.lastCountedAt)}</td>
          <td className="px-3 whitespace-nowrap text-slate-600">{when(l.updatedAt)}</td>
        </tr>
      ))}
    </Table>
  );
}
