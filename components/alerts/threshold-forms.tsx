'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { setThresholdAction, setWarehouseThresholdAction } from '@/app/(shell)/alerts/actions';
import { Field } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import { SubmitButton } from '@/components/ui/submit-button';
import { idle } from '@/lib/contracts/action-state';
import { useKeptForm } from '@/components/ui/use-kept-form';

type Product = { sku: string; threshold: number; reorderQty: number; leadTimeDays: number };

// The drill-down is rendered on the server: after a save, its figures and forecast are read again.
function useRefreshOnSave(state: { status: string }) {
  const router = useRouter();
  useEffect(() => {
    if (state.status === 'ok') router.refresh();
  }, [state, router]);
}

// The product's defaults: every warehouse without an override uses them.
export function ProductThresholdForm({ p }: { p: Product }) {
  const [state, form, pending] = useKeptForm(setThresholdAction, idle);
  useRefreshOnSave(state);
  const e = state.fieldErrors ?? {};
  return (
    <form {...form} className="space-y-3" aria-label={`Defaults for ${p.sku}`}>
      <input type="hidden" name="sku" value={p.sku} />
      <div className="flex flex-wrap items-end gap-3">
        <Field id="d-threshold" label="Default threshold" name="threshold" type="number" min={0} required defaultValue={p.threshold} errors={e.threshold} className="w-36" />
        <Field id="d-reorder" label="Reorder quantity" name="reorderQty" type="number" min={0} defaultValue={p.reorderQty} errors={e.reorderQty} className="w-36" />
        <Field id="d-lead" label="Lead time (days)" name="leadTimeDays" type="number" min={0} max={365} defaultValue={p.leadTimeDays} errors={e.leadTimeDays} className="w-36" />
        <SubmitButton pending={pending}>Save defaults</SubmitButton>
      </div>
      <FormMessage state={state} />
    </form>
  );
}

// One warehouse's override; blank fields fall back to the product's defaults.
export function WarehouseThresholdForm({ sku, warehouse, threshold, reorderQty }: { sku: string; warehouse: string; threshold: number | null; reorderQty: number | null }) {
  const [state, form, pending] = useKeptForm(setWarehouseThresholdAction, idle);
  useRefreshOnSave(state);
  const e = state.fieldErrors ?? {};
  return (
    <form {...form} className="space-y-3" aria-label={`${warehouse} override for ${sku}`}>
      <input type="hidden" name="sku" value={sku} />
      <input type="hidden" name="warehouse" value={warehouse} />
      <div className="flex flex-wrap items-end gap-3">
        <Field id={`o-threshold-${warehouse}`} label={`Threshold in ${warehouse}`} name="threshold" type="number" min={0} defaultValue={threshold ?? ''} placeholder="default" errors={e.threshold} hint="Blank: use the default" className="w-40" />
        <Field id={`o-reorder-${warehouse}`} label={`Reorder quantity in ${warehouse}`} name="reorderQty" type="number" min={0} defaultValue={reorderQty ?? ''} placeholder="default" errors={e.reorderQty} className="w-48" />
        <SubmitButton pending={pending}>Save {warehouse} override</SubmitButton>
      </div>
      <FormMessage state={state} />
    </form>
  );
}
