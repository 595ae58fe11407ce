'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { createProductAction, saveProductAction } from '@/app/(shell)/products/actions';
import { newKey } from '@/components/floor/new-key';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import { SubmitButton } from '@/components/ui/submit-button';
import { useKeptForm } from '@/components/ui/use-kept-form';
import { idle, type ActionState } from '@/lib/contracts/action-state';
import type { CatalogProduct } from '@/lib/contracts/catalog';
import { BarcodeList } from './barcode-list';

// Creating a product, or editing one on the version it was read at: a save on an older version is refused with
// what changed, and "Load the current values" shows them (the form is keyed by version, so it starts again).
export function ProductForm({ product }: { product?: CatalogProduct }) {
  const editing = product !== undefined;
  const [state, form, pending] = useKeptForm(editing ? saveProductAction : createProductAction, idle as ActionState<CatalogProduct>);
  const [key, setKey] = useState(newKey);
  const router = useRouter();
  const errors = state.fieldErrors ?? {};

  useEffect(() => {
    if (state.status !== 'ok' || !state.data) return;
    setKey(newKey());
    if (editing) router.refresh();
    else router.push(`/products/${encodeURIComponent(state.data.sku)}`);
    // Once per answer.
  }, [state]);

  const stale = state.status === 'error' && /changed by someone else/.test(state.message ?? '');
  return (
    <form {...form} aria-label={editing ? 'Edit product' : 'New product'} className="grid max-w-2xl gap-4 sm:grid-cols-2">
      <input type="hidden" name="idempotencyKey" value={key} />
      {editing ? <input type="hidden" name="version" value={product.version} /> : null}
      <Field label="SKU" name="sku" defaultValue={product?.sku} readOnly={editing} required autoFocus={!editing} autoComplete="off" errors={errors.sku} hint={editing ? undefined : 'Kept exactly as typed (trimmed); letter case counts, but no two SKUs may differ by case alone.'} />
      <Field label="Name" name="name" defaultValue={product?.name} required errors={errors.name} />
      <div className="sm:col-span-2">
        <BarcodeList initial={product?.barcodes ?? []} errors={errors.barcodes} />
      </div>
      <Field label="Unit" name="unit" defaultValue={product?.unit ?? 'each'} required errors={errors.unit} />
      <Field label="Low-stock threshold" name="lowStockThreshold" type="number" inputMode="numeric" min={0} defaultValue={product?.lowStockThreshold ?? 0} errors={errors.lowStockThreshold} />
      <Field label="Lead time (days)" name="leadTimeDays" type="number" inputMode="numeric" min={0} max={365} defaultValue={product?.leadTimeDays ?? 7} errors={errors.leadTimeDays} />
      <div className="flex flex-wrap items-center gap-3 sm:col-span-2">
        <SubmitButton pending={pending}>{editing ? 'Save product' : 'Create product'}</SubmitButton>
        {stale ? (
          <Button onClick={() => router.refresh()}>Load the current values</Button>
        ) : null}
      </div>
      <div className="sm:col-span-2">
        <FormMessage state={state} />
      </div>
    </form>
  );
}
