'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { createWarehouseAction, renameWarehouseAction, setWarehouseActiveAction } from '@/app/(shell)/warehouses/actions';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import { SubmitButton } from '@/components/ui/submit-button';
import { useKeptForm } from '@/components/ui/use-kept-form';
import { idle, type ActionState } from '@/lib/contracts/action-state';
import type { WarehouseMaster } from '@/lib/contracts/locations';
import { useAnswered } from './use-answered';

export function NewWarehouseForm() {
  const [state, form, pending] = useKeptForm(createWarehouseAction, idle as ActionState<WarehouseMaster>);
  const key = useAnswered(state);
  const router = useRouter();
  useEffect(() => {
    if (state.status === 'ok' && state.data) router.push(`/warehouses/${encodeURIComponent(state.data.code)}`);
  }, [state]);
  const errors = state.fieldErrors ?? {};
  return (
    <form {...form} aria-label="New warehouse" className="flex max-w-3xl flex-wrap items-start gap-3">
      <input type="hidden" name="idempotencyKey" value={key} />
      <Field label="Code" name="code" required autoComplete="off" errors={errors.code} className="w-40" hint="Kept as typed; never changes." />
      <Field label="Name" name="name" required autoComplete="off" errors={errors.name} className="w-64" />
      <SubmitButton pending={pending} className="mt-6">
        Create warehouse
      </SubmitButton>
      <div className="basis-full">
        <FormMessage state={state} />
      </div>
    </form>
  );
}

// Renaming on the version read: a rename on an older one is refused with what changed.
export function RenameWarehouseForm({ warehouse }: { warehouse: WarehouseMaster }) {
  const [state, form, pending] = useKeptForm(renameWarehouseAction, idle as ActionState<WarehouseMaster>);
  const key = useAnswered(state);
  return (
    <form {...form} aria-label="Rename warehouse" className="flex max-w-3xl flex-wrap items-start gap-3">
      <input type="hidden" name="idempotencyKey" value={key} />
      <input type="hidden" name="code" value={warehouse.code} />
      <input type="hidden" name="version" value={warehouse.version} />
      <Field label="Name" name="name" id="warehouse-name" defaultValue={warehouse.name} required autoComplete="off" errors={state.fieldErrors?.name} className="w-72" />
      <SubmitButton pending={pending} className="mt-6">
        Rename
      </SubmitButton>
      <div className="basis-full">
        <FormMessage state={state} />
      </div>
    </form>
  );
}

export function WarehouseActiveForm({ warehouse }: { warehouse: WarehouseMaster }) {
  const [state, form, pending] = useKeptForm(setWarehouseActiveAction, idle as ActionState<WarehouseMaster>);
  const key = useAnswered(state);
  return (
    <form {...form} aria-label={warehouse.active ? 'Deactivate warehouse' : 'Reactivate warehouse'} className="max-w-3xl space-y-2">
      <input type="hidden" name="idempotencyKey" value={key} />
      <input type="hidden" name="code" value={warehouse.code} />
      <input type="hidden" name="version" value={warehouse.version} />
      <input type="hidden" name="active" value={warehouse.active ? 'false' : 'true'} />
      <p className="text-sm text-slate-600">
        {warehouse.active
          ? 'A deactivated warehouse takes no new stock and leaves the floor screens; its history stays. None of its bins may hold stock or open holds.'
          : 'Deactivated: no new stock, not on the floor screens. Reactivating brings it back.'}
      </p>
      <Button type="submit" variant={warehouse.active ? 'danger' : 'secondary'} pending={pending}>
        {warehouse.active ? 'Deactivate warehouse' : 'Reactivate warehouse'}
      </Button>
      <FormMessage state={state} />
    </form>
  );
}
