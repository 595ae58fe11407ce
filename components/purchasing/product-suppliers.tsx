'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { removeProductSupplierAction, saveProductSupplierAction } from '@/app/(shell)/suppliers/actions';
import { newKey } from '@/components/floor/new-key';
import { Field } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import { SelectField } from '@/components/ui/select-field';
import { SubmitButton } from '@/components/ui/submit-button';
import { figure, Table } from '@/components/ui/table';
import { useKeptForm } from '@/components/ui/use-kept-form';
import { idle, type ActionState } from '@/lib/contracts/action-state';
import type { ProductSupplierTerms } from '@/lib/contracts/purchasing';
import { money } from './money';


// A product's suppliers on its page: their terms, which one is preferred (its lead time drives the forecast), and a
// form that adds a supplier or changes one's terms (choosing a supplier already listed edits its terms).
export function ProductSuppliers({ sku, terms, suppliers }: { sku: string; terms: ProductSupplierTerms[]; suppliers: { id: number; name: string }[] }) {
  return (
    <div className="space-y-4">
      {terms.length ? (
        <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
          <Table caption={`Suppliers of ${sku}`} columns={['Supplier', 'Supplier SKU', figure('Pack size'), figure('Minimum'), figure('Unit cost'), figure('Lead time (days)'), 'Preferred', '']}>
            {terms.map((t) => (
              <tr key={t.supplierId} className="border-t border-slate-100">
                <td className="px-4 py-2">{t.supplier}</td>
                <td className="px-4 py-2 font-mono">{t.supplierSku ?? '—'}</td>
                <td className="px-4 py-2 text-right tabular-nums">{t.packSize}</td>
                <td className="px-4 py-2 text-right tabular-nums">{t.minOrderQty}</td>
                <td className="px-4 py-2 text-right tabular-nums">{money(t.unitCostCents)}</td>
                <td className="px-4 py-2 text-right tabular-nums">{t.leadTimeDays}</td>
                <td className="px-4 py-2">{t.preferred ? '★ Preferred' : '—'}</td>
                <td className="px-4 py-2">
                  <RemoveButton terms={t} />
                </td>
              </tr>
            ))}
          </Table>
        </div>
      ) : (
        <p className="text-sm text-slate-600">No supplier yet: the forecast uses the product’s own lead time, and a suggested order for it cannot become a purchase order until it has a preferred supplier.</p>
      )}
      <TermsForm sku={sku} suppliers={suppliers} terms={terms} />
    </div>
  );
}

function TermsForm({ sku, suppliers, terms }: { sku: string; suppliers: { id: number; name: string }[]; terms: ProductSupplierTerms[] }) {
  const [state, form, pending] = useKeptForm(saveProductSupplierAction, idle as ActionState<ProductSupplierTerms>);
  const [key, setKey] = useState(newKey);
  const [chosen, setChosen] = useState('');
  const router = useRouter();
  const errors = state.fieldErrors ?? {};
  useEffect(() => {
    if (state.status === 'idle') return;
    setKey(newKey());
    if (state.status === 'ok') router.refresh();
  }, [state]);
  const current = terms.find((t) => String(t.supplierId) === chosen);
  return (
    <form {...form} key={chosen} aria-label="Supplier terms" className="grid max-w-3xl gap-4 sm:grid-cols-3">
      <input type="hidden" name="idempotencyKey" value={key} />
      <input type="hidden" name="sku" value={sku} />
      <input type="hidden" name="preferredShown" value="1" />
      <SelectField
        label="Supplier"
        name="supplierId"
        value={chosen}
        onChange={(e) => setChosen(e.target.value)}
        placeholder="Choose a supplier"
        options={suppliers.map((s) => ({ value: String(s.id), label: s.name }))}
        errors={errors.supplierId}
      />
      <Field label="Supplier SKU" name="supplierSku" defaultValue={current?.supplierSku ?? ''} errors={errors.supplierSku} />
      <Field label="Unit cost" name="unitCost" inputMode="decimal" defaultValue={current?.unitCostCents == null ? '' : money(current.unitCostCents)} errors={errors.unitCost} />
      <Field label="Pack size" name="packSize" type="number" inputMode="numeric" min={1} defaultValue={current?.packSize ?? 1} errors={errors.packSize} />
      <Field label="Minimum order" name="minOrderQty" type="number" inputMode="numeric" min={1} defaultValue={current?.minOrderQty ?? 1} errors={errors.minOrderQty} />
      <label className="flex min-h-11 items-center gap-2 self-end text-sm">
        <input type="checkbox" name="preferred" defaultChecked={current ? current.preferred : !terms.some((t) => t.preferred)} className="size-5" />
        Preferred supplier
      </label>
      <div className="sm:col-span-3">
        <SubmitButton pending={pending}>{current ? 'Save terms' : 'Add supplier'}</SubmitButton>
      </div>
      <div className="sm:col-span-3">
        <FormMessage state={state} />
      </div>
    </form>
  );
}

function RemoveButton({ terms }: { terms: ProductSupplierTerms }) {
  const [state, form, pending] = useKeptForm(removeProductSupplierAction, idle);
  const router = useRouter();
  useEffect(() => {
    if (state.status === 'ok') router.refresh();
  }, [state]);
  return (
    <form {...form}>
      <input type="hidden" name="sku" value={terms.sku} />
      <input type="hidden" name="supplierId" value={terms.supplierId} />
      <input type="hidden" name="version" value={terms.version} />
      <button type="submit" disabled={pending} className="min-h-11 text-sm text-red-800 underline" aria-label={`Remove ${terms.supplier}`}>
        Remove
      </button>
      {state.status === 'error' ? <p className="text-xs text-red-700">{state.message}</p> : null}
    </form>
  );
}
