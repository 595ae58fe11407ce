'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { cancelPurchaseOrderAction, closePurchaseOrderAction, markOrderedAction, setPurchaseOrderLineAction } from '@/app/(shell)/purchase-orders/actions';
import { newKey } from '@/components/floor/new-key';
import { Field } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import { SelectField } from '@/components/ui/select-field';
import { SubmitButton } from '@/components/ui/submit-button';
import { useKeptForm } from '@/components/ui/use-kept-form';
import { idle, type ActionState } from '@/lib/contracts/action-state';
import { SHORT_REASON_LABEL, SHORT_REASONS, type PurchaseOrderView } from '@/lib/contracts/purchasing';

// One form per action the order's state allows; each carries the version the page was read at, so an order that
// moved meanwhile (a receipt on the floor) is refused with its new state rather than acted on blind.
function useActionForm<T>(action: (prev: ActionState<T>, formData: FormData) => Promise<ActionState<T>>) {
  const [state, form, pending] = useKeptForm(action, idle as ActionState<T>);
  const [key, setKey] = useState(newKey);
  const router = useRouter();
  useEffect(() => {
    if (state.status === 'idle') return;
    // A refusal inside the command is a stored answer too: the corrected form is a new request, with a new key.
    setKey(newKey());
    // Refused or not, show the order as it is now: a receipt meanwhile moves it on (the forms are keyed by version,
    // so they start again only when it changed; a refusal of what was typed keeps it).
    router.refresh();
  }, [state]);
  return { state, form, pending, key, errors: state.fieldErrors ?? {} };
}

function Hidden({ po, idempotencyKey }: { po: PurchaseOrderView; idempotencyKey: string }) {
  return (
    <>
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      <input type="hidden" name="reference" value={po.reference} />
      <input type="hidden" name="version" value={po.version} />
    </>
  );
}

export function DraftLineForm({ po }: { po: PurchaseOrderView }) {
  const f = useActionForm(setPurchaseOrderLineAction);
  return (
    <form {...f.form} aria-label="Set a line" className="grid max-w-2xl gap-4 sm:grid-cols-3">
      <Hidden po={po} idempotencyKey={f.key} />
      <Field label="SKU" name="sku" required autoComplete="off" errors={f.errors.sku} hint="Type or scan." />
      <Field label="Quantity" name="qty" type="number" inputMode="numeric" min={0} required errors={f.errors.qty} hint="Rounded up to the supplier’s pack size and minimum; 0 removes the line." />
      <div className="self-start pt-6">
        <SubmitButton pending={f.pending}>Set line</SubmitButton>
      </div>
      <div className="sm:col-span-3">
        <FormMessage state={f.state} />
      </div>
    </form>
  );
}

export function MarkOrderedForm({ po }: { po: PurchaseOrderView }) {
  const f = useActionForm(markOrderedAction);
  return (
    <form {...f.form} aria-label="Mark ordered" className="flex flex-wrap items-start gap-4">
      <Hidden po={po} idempotencyKey={f.key} />
      <Field label="Expected delivery" name="expectedAt" type="date" required errors={f.errors.expectedAt ?? f.errors._} />
      <div className="pt-6">
        <SubmitButton pending={f.pending}>Mark ordered</SubmitButton>
      </div>
      <div className="basis-full">
        <FormMessage state={f.state} />
      </div>
    </form>
  );
}

export function CancelForm({ po }: { po: PurchaseOrderView }) {
  const f = useActionForm(cancelPurchaseOrderAction);
  return (
    <form {...f.form} aria-label="Cancel purchase order" className="space-y-2">
      <Hidden po={po} idempotencyKey={f.key} />
      <SubmitButton pending={f.pending} className="!bg-white !text-red-800 border border-red-300">
        Cancel purchase order
      </SubmitButton>
      <FormMessage state={f.state} />
    </form>
  );
}

export function CloseForm({ po }: { po: PurchaseOrderView }) {
  const f = useActionForm(closePurchaseOrderAction);
  const short = po.lines.filter((l) => l.received < l.ordered);
  return (
    <form {...f.form} aria-label="Close purchase order" className="space-y-3">
      <Hidden po={po} idempotencyKey={f.key} />
      {short.length ? (
        <div className="grid max-w-2xl gap-3 sm:grid-cols-2">
          {short.map((l) => (
            <SelectField
              key={l.sku}
              id={`reason-${l.sku}`}
              label={`${l.sku}: ${l.ordered - l.received} short`}
              name={`reason:${l.sku}`}
              placeholder="Why is it short?"
              options={SHORT_REASONS.map((r) => ({ value: r, label: SHORT_REASON_LABEL[r] }))}
              errors={f.errors[`reason:${l.sku}`]}
            />
          ))}
        </div>
      ) : null}
      <SubmitButton pending={f.pending}>Close purchase order</SubmitButton>
      <FormMessage state={f.state} />
    </form>
  );
}
