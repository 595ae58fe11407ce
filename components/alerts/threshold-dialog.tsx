'use client';

import Link from 'next/link';
import { useEffect, useRef } from 'react';
import { ThresholdForm } from '@/components/threshold-form';
import type { ReviewRow } from '@/lib/contracts/alerts';

// The review's one threshold editor: a modal dialog opened from a row, rather than a form in every row (ten thousand
// forms were most of a 55 MB page). Escape or Close returns focus to the row's button, as the browser's dialog does.
export function ThresholdDialog({ row, onClose }: { row: ReviewRow | null; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (row && !d.open) d.showModal();
    if (!row && d.open) d.close();
  }, [row]);
  const drill = row ? `/alerts/product/${encodeURIComponent(row.sku)}?warehouse=${encodeURIComponent(row.warehouse)}#thresholds` : '';
  return (
    <dialog ref={ref} onClose={onClose} aria-labelledby="threshold-dialog-title" className="m-auto w-96 max-w-full rounded-xl border border-slate-200 p-5 shadow-xl backdrop:bg-slate-900/30">
      {row ? (
        <div className="space-y-3">
          <h2 id="threshold-dialog-title" className="text-lg font-semibold">
            Threshold of <span className="font-mono">{row.sku}</span>
          </h2>
          <p className="text-sm text-slate-600">{row.name}</p>
          {row.thresholdOverridden ? (
            <p className="text-sm">
              {row.warehouse} has its own threshold ({row.threshold}).{' '}
              <Link href={drill} prefetch={false} className="text-brand-700 underline">
                Change the {row.warehouse} override
              </Link>
            </p>
          ) : (
            <>
              <p className="text-sm text-slate-600">The default low-stock threshold: it applies in every warehouse without its own.</p>
              <ThresholdForm key={row.key} sku={row.sku} threshold={row.threshold} />
            </>
          )}
          <form method="dialog" className="text-right">
            <button className="min-h-11 rounded-md border border-slate-300 px-3 text-sm font-medium hover:bg-slate-50">Close</button>
          </form>
        </div>
      ) : null}
    </dialog>
  );
}
