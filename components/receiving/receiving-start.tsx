'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useCallback } from 'react';
import { FloorScreen } from '@/components/floor/floor-screen';
import { useFeedback } from '@/components/floor/use-feedback';
import { useScanner } from '@/components/floor/use-scanner';
import { EmptyState } from '@/components/ui/empty-state';
import { lookupScan, openPurchaseOrdersQuery } from '@/lib/dashboard-api';
import type { Scan } from '@/lib/scan';
import { isReceivable, PO_STATUS_LABEL, type PoStatus } from '@/lib/contracts/purchasing';

const receiptHref = (po: string) => `/receiving/receipt?po=${encodeURIComponent(po)}`;

// Where receiving starts: scan the purchase order's barcode (or pick it), or start without one.
export function ReceivingStart({ warehouse }: { warehouse: string }) {
  const client = useQueryClient();
  const router = useRouter();
  const pos = useQuery(openPurchaseOrdersQuery());
  const [feedback, say] = useFeedback({ kind: 'info', text: 'Scan the purchase order on the delivery note, or choose one below.' });
  const onScan = useCallback(
    async (scan: Scan) => {
      const match = await lookupScan(client, warehouse, scan.raw);
      if (match.kind === 'purchase_order') {
        if (!isReceivable(match.status)) {
          const label = PO_STATUS_LABEL[match.status as PoStatus]?.toLowerCase() ?? match.status;
          return say('error', `${match.reference} is ${label}; only an ordered or partially received purchase order can receive stock.`);
        }
        say('success', `Opening ${match.reference}…`);
        return router.push(receiptHref(match.reference));
      }
      if (match.kind === 'product') return say('warning', `${match.product.sku} is a product. Scan a purchase order, or choose “Receive without a purchase order”.`);
      say('error', `No purchase order matches ${scan.code}.`);
    },
    [client, router, say, warehouse],
  );
  const scanner = useScanner(onScan, say);

  return (
    <FloorScreen
      title="Receiving"
      prompt="Scan a purchase order"
      scanner={scanner}
      feedback={feedback}
      actions={
        <Link href="/receiving/receipt" className="inline-flex min-h-11 items-center rounded-lg border border-slate-300 bg-white px-4 font-medium hover:bg-slate-50">
          Receive without a purchase order
        </Link>
      }
    >
      {pos.isPending ? (
        <ul className="grid gap-3 sm:grid-cols-2 xl:grid-cols-3" aria-label="Loading purchase orders">
          {[0, 1, 2].map((i) => (
            <li key={i} className="h-32 animate-pulse rounded-xl border border-slate-200 bg-white" />
          ))}
        </ul>
      ) : pos.isError ? (
        <EmptyState title="Purchase orders did not load">{pos.error.message}</EmptyState>
      ) : pos.data.length === 0 ? (
        <EmptyState title="Nothing to receive">Open purchase orders appear here.</EmptyState>
      ) : (
        <ul className="grid gap-3 sm:grid-cols-2 xl:grid-cols-3">
          {pos.data.map((po) => (
            <li key={po.reference}>
              <Link href={receiptHref(po.reference)} className="block rounded-xl border border-slate-200 bg-white p-4 hover:border-brand-500">
                <span className="flex items-baseline justify-between">
                  <span className="font-mono font-medium">{po.reference}</span>
                  <span className="text-xs text-slate-500">{po.warehouse}</span>
                </span>
                <span className="block text-sm text-slate-700">{po.supplier}</span>
                <span className="mt-2 block text-sm text-slate-600">
                  {po.lines} lines · {po.received} / {po.expected} units received{po.expectedAt ? ` · due ${po.expectedAt}` : ''}
                </span>
                <span className="mt-2 block h-2 rounded bg-slate-100" aria-hidden="true">
                  <span className="block h-2 rounded bg-brand-500" style={{ width: `${Math.min(100, (100 * po.received) / Math.max(po.expected, 1))}%` }} />
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </FloorScreen>
  );
}
