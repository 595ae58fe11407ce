'use client';

import Link from 'next/link';
import { useEffect, useState } from 'react';
import { draftFromSuggestionsAction } from '@/app/(shell)/purchase-orders/actions';
import { newKey } from '@/components/floor/new-key';
import { FormMessage } from '@/components/ui/form-message';
import { SubmitButton } from '@/components/ui/submit-button';
import { useKeptForm } from '@/components/ui/use-kept-form';
import { idle, type ActionState } from '@/lib/contracts/action-state';
import type { DraftFromSuggestionsResult } from '@/lib/contracts/purchasing';

// The review's suggested orders as draft purchase orders, one per preferred supplier and warehouse, in one action.
// Blank SKUs means every suggestion in view. One idempotency key per press: a double submit drafts once.
export function DraftPurchaseOrders({ warehouse, windowDays, targetDays }: { warehouse?: string; windowDays?: number; targetDays?: number }) {
  const [state, form, pending] = useKeptForm(draftFromSuggestionsAction, idle as ActionState<DraftFromSuggestionsResult>);
  const [key, setKey] = useState(newKey);
  useEffect(() => {
    if (state.status !== 'idle') setKey(newKey());
  }, [state]);
  return (
    <details className="rounded-xl border border-slate-200 bg-white px-4 py-2">
      <summary className="min-h-11 cursor-pointer py-2 font-medium">Draft purchase orders from suggestions</summary>
      <form {...form} aria-label="Draft purchase orders" className="flex flex-wrap items-end gap-3 pb-2">
        <input type="hidden" name="idempotencyKey" value={key} />
        <input type="hidden" name="warehouse" value={warehouse ?? ''} />
        <input type="hidden" name="windowDays" value={windowDays ?? ''} />
        <input type="hidden" name="targetDays" value={targetDays ?? ''} />
        <label className="grow text-sm">
          <span className="mb-1 block font-medium text-slate-700">Only these SKUs (blank: every suggestion{warehouse ? ` in ${warehouse}` : ''})</span>
          <input name="skus" autoComplete="off" className="block min-h-11 w-full rounded-md border border-slate-300 px-3 py-2 text-base" placeholder="SKU-1, SKU-2" />
        </label>
        <SubmitButton pending={pending}>Draft purchase orders</SubmitButton>
      </form>
      <FormMessage state={state} />
      {state.status === 'ok' && state.data?.drafts.length ? (
        <ul className="flex flex-wrap gap-3 py-2 text-sm">
          {state.data.drafts.map((d) => (
            <li key={d.reference}>
              <Link href={`/purchase-orders/${encodeURIComponent(d.reference)}`} className="text-brand-700 underline">
                Open {d.reference} ({d.supplier}, {d.warehouse})
              </Link>
            </li>
          ))}
        </ul>
      ) : null}
      <p className="pb-2 text-xs text-slate-500">
        Products with no preferred supplier are listed, not drafted: set one on the product’s page. Quantities are rounded up to the supplier’s pack size and minimum.
      </p>
    </details>
  );
}
