'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { createPurchaseOrderAction } from '@/app/(shell)/purchase-orders/actions';
import { newKey } from '@/components/floor/new-key';
import { FormMessage } from '@/components/ui/form-message';
import { SelectField } from '@/components/ui/select-field';
import { SubmitButton } from '@/components/ui/submit-button';
import { useKeptForm } from '@/components/ui/use-kept-form';
import { idle, type ActionState } from '@/lib/contracts/action-state';
import type { DraftLineResult, PoChangeResult } from '@/lib/contracts/purchasing';

// An empty draft for a supplier and warehouse; its page adds the lines.
export function NewPurchaseOrderForm({ suppliers, warehouses }: { suppliers: { id: number; name: string }[]; warehouses: string[] }) {
  const [state, form, pending] = useKeptForm(createPurchaseOrderAction, idle as ActionState<PoChangeResult & { lines: DraftLineResult[] }>);
  const [key, setKey] = useState(newKey);
  const router = useRouter();
  const errors = state.fieldErrors ?? {};
  useEffect(() => {
    if (state.status === 'idle') return;
    setKey(newKey());
    if (state.status !== 'ok' || !state.data) return;
    router.push(`/purchase-orders/${encodeURIComponent(state.data.reference)}`);
  }, [state]);
  return (
    <form {...form} aria-label="New purchase order" className="grid max-w-2xl gap-4 sm:grid-cols-3">
      <input type="hidden" name="idempotencyKey" value={key} />
      <SelectField label="Supplier" name="supplierId" placeholder="Choose a supplier" options={suppliers.map((s) => ({ value: String(s.id), label: s.name }))} errors={errors.supplierId} />
      <SelectField label="Warehouse" name="warehouse" options={warehouses.map((w) => ({ value: w, label: w }))} errors={errors.warehouse} />
      <div className="self-end">
        <SubmitButton pending={pending}>Create draft</SubmitButton>
      </div>
      <div className="sm:col-span-3">
        <FormMessage state={state} />
      </div>
    </form>
  );
}
