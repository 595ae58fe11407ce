import { figure, Table } from '@/components/ui/table';
import { SHORT_REASON_LABEL, type PurchaseOrderView } from '@/lib/contracts/purchasing';
import { money } from './money';

// An order's lines: ordered against received, what is still to come or came over, and why a closed line was short.
export function PurchaseOrderLines({ po }: { po: PurchaseOrderView }) {
  const total = po.lines.reduce((n, l) => (l.unitCostCents === null ? n : n + l.unitCostCents * l.ordered), 0);
  return (
    <Table caption={`Lines of ${po.reference}`} columns={['SKU', 'Product', 'Supplier SKU', figure('Pack'), figure('Ordered'), figure('Received'), figure('To come'), 'Short reason', figure('Unit cost'), figure('Line total')]}>
      {po.lines.map((l) => (
        <tr key={l.sku} className="border-t border-slate-100" data-testid={`po-line-${l.sku}`}>
          <td className="px-3 py-2 font-mono">{l.sku}</td>
          <td className="px-3 py-2">{l.name}</td>
          <td className="px-3 py-2 font-mono">{l.supplierSku ?? '—'}</td>
          <td className="px-3 py-2 text-right tabular-nums">{l.packSize}</td>
          <td className="px-3 py-2 text-right tabular-nums">{l.ordered}</td>
          <td className="px-3 py-2 text-right tabular-nums">{l.received}</td>
          <td className="px-3 py-2 text-right tabular-nums">{l.over ? `${l.over} over` : l.remaining}</td>
          <td className="px-3 py-2">{l.shortReason ? SHORT_REASON_LABEL[l.shortReason] : '—'}</td>
          <td className="px-3 py-2 text-right tabular-nums">{money(l.unitCostCents)}</td>
          <td className="px-3 py-2 text-right tabular-nums">{l.unitCostCents === null ? '—' : money(l.unitCostCents * l.ordered)}</td>
        </tr>
      ))}
      <tr className="border-t border-slate-200 font-medium">
        <td className="px-3 py-2" colSpan={9}>
          Total (lines with a cost)
        </td>
        <td className="px-3 py-2 text-right tabular-nums">{money(total)}</td>
      </tr>
    </Table>
  );
}
