'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useId, useRef, useState } from 'react';
import { addBarcodeAction, archiveProductAction, restoreProductAction } from '@/app/(shell)/products/actions';
import { newKey } from '@/components/floor/new-key';
import { Button } from '@/components/ui/button';
import { fieldAria } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import { useKeptForm } from '@/components/ui/use-kept-form';
import { idle, type ActionState } from '@/lib/contracts/action-state';
import type { CatalogProduct } from '@/lib/contracts/catalog';

// Refreshes the page's server data after each accepted answer, and gives each submission a fresh key.
function useAnswered(state: ActionState<CatalogProduct>, after?: () => void) {
  const router = useRouter();
  const [key, setKey] = useState(newKey);
  useEffect(() => {
    if (state.status === 'idle') return;
    setKey(newKey());
    if (state.status === 'ok') {
      after?.();
      router.refresh();
    }
    // Once per answer.
  }, [state]);
  return key;
}

// A scanned code is added to the product at once: the scanner's Enter sends this one-field form.
export function AddBarcodeForm({ sku }: { sku: string }) {
  const [state, form, pending] = useKeptForm(addBarcodeAction, idle as ActionState<CatalogProduct>);
  const input = useRef<HTMLInputElement>(null);
  const key = useAnswered(state, () => {
    if (input.current) input.current.value = '';
  });
  const id = useId();
  const errors = state.fieldErrors?.barcode ?? state.fieldErrors?.barcodes;
  return (
    <form {...form} aria-label="Add a scanned barcode" className="max-w-2xl space-y-2">
      <input type="hidden" name="idempotencyKey" value={key} />
      <input type="hidden" name="sku" value={sku} />
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        Scan a code to add it
      </label>
      <div className="flex gap-2">
        <input ref={input} id={id} name="barcode" inputMode="numeric" autoComplete="off" {...fieldAria(id, errors)} className="block min-h-11 w-full rounded-md border border-slate-300 px-3 py-2 font-mono text-base aria-invalid:border-red-500" />
        <Button type="submit" pending={pending}>
          Add barcode
        </Button>
      </div>
      {errors?.length ? (
        <p id={`${id}-error`} className="text-sm text-red-700">
          {errors[0]}
        </p>
      ) : null}
      <FormMessage state={state} />
    </form>
  );
}

export function ArchiveForm({ product }: { product: CatalogProduct }) {
  const [state, form, pending] = useKeptForm(product.active ? archiveProductAction : restoreProductAction, idle as ActionState<CatalogProduct>);
  const key = useAnswered(state);
  return (
    <form {...form} aria-label={product.active ? 'Archive product' : 'Restore product'} className="max-w-2xl space-y-2">
      <input type="hidden" name="idempotencyKey" value={key} />
      <input type="hidden" name="sku" value={product.sku} />
      <input type="hidden" name="version" value={product.version} />
      <p className="text-sm text-slate-600">
        {product.active
          ? 'Archiving takes the product out of storefront availability and every list; its history stays. It needs no stock on hand and no open holds.'
          : 'Archived: storefronts see this SKU as unknown. Restoring lists it again.'}
      </p>
      <Button type="submit" variant={product.active ? 'danger' : 'secondary'} pending={pending}>
        {product.active ? 'Archive product' : 'Restore product'}
      </Button>
      <FormMessage state={state} />
    </form>
  );
}
