'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { createSupplierAction, saveSupplierAction, setSupplierActiveAction } from '@/app/(shell)/suppliers/actions';
import { newKey } from '@/components/floor/new-key';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import { SubmitButton } from '@/components/ui/submit-button';
import { useKeptForm } from '@/components/ui/use-kept-form';
import { idle, type ActionState } from '@/lib/contracts/action-state';
import type { SupplierMaster } from '@/lib/contracts/purchasing';

// Creating a supplier, or editing one on the version it was read at (a save on an older one is refused with what
// changed; "Load the current values" shows them: the form is keyed by version).
export function SupplierForm({ supplier }: { supplier?: SupplierMaster }) {
  const editing = supplier !== undefined;
  const [state, form, pending] = useKeptForm(editing ? saveSupplierAction : createSupplierAction, idle as ActionState<SupplierMaster>);
  const [key, setKey] = useState(newKey);
  const router = useRouter();
  const errors = state.fieldErrors ?? {};
  useEffect(() => {
    if (state.status === 'idle') return;
    setKey(newKey());
    if (state.status !== 'ok' || !state.data) return;
    if (editing) router.refresh();
    else router.push(`/suppliers/${state.data.id}`);
  }, [state]);
  const stale = state.status === 'error' && /changed by someone else/.test(state.message ?? '');
  return (
    <form {...form} aria-label={editing ? 'Edit supplier' : 'New supplier'} className="grid max-w-2xl gap-4 sm:grid-cols-2">
      <input type="hidden" name="idempotencyKey" value={key} />
      {editing ? <input type="hidden" name="id" value={supplier.id} /> : null}
      {editing ? <input type="hidden" name="version" value={supplier.version} /> : null}
      <Field label="Name" name="name" defaultValue={supplier?.name} required autoFocus={!editing} errors={errors.name} />
      <Field label="Lead time (days)" name="leadTimeDays" type="number" inputMode="numeric" min={0} max={365} defaultValue={supplier?.leadTimeDays ?? 7} errors={errors.leadTimeDays} hint="Used by the forecast for products this supplier is preferred for." />
      <Field label="Email" name="email" type="email" defaultValue={supplier?.email ?? ''} errors={errors.email} />
      <Field label="Phone" name="phone" type="tel" defaultValue={supplier?.phone ?? ''} errors={errors.phone} />
      <div className="flex flex-wrap items-center gap-3 sm:col-span-2">
        <SubmitButton pending={pending}>{editing ? 'Save supplier' : 'Create supplier'}</SubmitButton>
        {stale ? <Button onClick={() => router.refresh()}>Load the current values</Button> : null}
      </div>
      <div className="sm:col-span-2">
        <FormMessage state={state} />
      </div>
    </form>
  );
}

export function SupplierActiveForm({ supplier }: { supplier: SupplierMaster }) {
  const [state, form, pending] = useKeptForm(setSupplierActiveAction, idle as ActionState<SupplierMaster>);
  const router = useRouter();
  useEffect(() => {
    if (state.status === 'ok') router.refresh();
  }, [state]);
  return (
    <form {...form} className="space-y-2">
      <input type="hidden" name="id" value={supplier.id} />
      <input type="hidden" name="version" value={supplier.version} />
      <input type="hidden" name="active" value={supplier.active ? 'false' : 'true'} />
      <SubmitButton pending={pending} className={supplier.active ? '!bg-white !text-red-800 border border-red-300' : ''}>
        {supplier.active ? 'Deactivate supplier' : 'Reactivate supplier'}
      </SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}
