import type { PurchaseOrderDetail } from '@/lib/contracts/floor';
// Receiving's pure rule for a product scan: add to what is being received, or ask first (not on the order,
// more than ordered), so nothing unexpected is accepted silently.

export type ReceiptItem = { sku: string; name: string; qty: number; onOrder: boolean; overConfirmed: boolean };
export type Confirmation = { sku: string; kind: 'extra' | 'over' };

export type ProductVerdict =
  | { kind: 'add'; item: ReceiptItem }
  | { kind: 'ask'; confirm: Confirmation; text: string }
  | { kind: 'error'; text: string };

export function judgeProduct(
  p: { sku: string; name: string },
  units: number,
  item: ReceiptItem | null,
  po: PurchaseOrderDetail | null,
  confirmed: Confirmation | null,
): ProductVerdict {
  if (item && item.sku !== p.sku && item.qty > 0) {
    return { kind: 'error', text: `Put away the ${item.qty} × ${item.sku} first: scan a bin, or discard them.` };
  }
  const same = item?.sku === p.sku ? item : null;
  const qty = (same?.qty ?? 0) + units;
  if (!po) return { kind: 'add', item: { sku: p.sku, name: p.name, qty, onOrder: false, overConfirmed: false } };
  const line = po.lines.find((l) => l.sku === p.sku);
  if (!line) {
    if (same || confirmed?.sku === p.sku) return { kind: 'add', item: { sku: p.sku, name: p.name, qty, onOrder: false, overConfirmed: false } };
    return {
      kind: 'ask',
      confirm: { sku: p.sku, kind: 'extra' },
      text: `${p.sku} (${p.name}) is not on ${po.reference}. Scan it again to add it to this receipt, or press Discard.`,
    };
  }
  const overConfirmed = same?.overConfirmed || (confirmed?.sku === p.sku && confirmed.kind === 'over');
  if (line.received + qty > line.expected && !overConfirmed) {
    return {
      kind: 'ask',
      confirm: { sku: p.sku, kind: 'over' },
      text: `Over-receipt: ${po.reference} expects ${line.expected} × ${p.sku}, ${line.received} received, this makes ${line.received + qty}. Scan it again to confirm.`,
    };
  }
  return { kind: 'add', item: { sku: p.sku, name: p.name, qty, onOrder: true, overConfirmed: Boolean(overConfirmed) } };
}
