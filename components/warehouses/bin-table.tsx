'use client';

import { saveBinAction, setBinActiveAction } from '@/app/(shell)/warehouses/actions';
import { Button } from '@/components/ui/button';
import { fieldAria } from '@/components/ui/field';
import { figure, Table } from '@/components/ui/table';
import { useKeptForm } from '@/components/ui/use-kept-form';
import { idle, type ActionState } from '@/lib/contracts/action-state';
import { locationKinds, type Bin, type BinRow } from '@/lib/contracts/locations';
import { useAnswered } from './use-answered';

const control = 'min-h-11 rounded-md border border-slate-300 bg-white px-2 py-1 text-base aria-invalid:border-red-500';

// A warehouse's bins in pick-path order, each editable in place: kind, sellable flag and pick order save together
// (Enter in the pick-order field saves the row), on the version shown; a stale save is refused with what changed.
export function BinTable({ warehouse, bins }: { warehouse: string; bins: BinRow[] }) {
  return (
    <Table caption={`Bins of ${warehouse}`} compact columns={['Code', 'Kind', 'Sellable', figure('Pick order'), '', 'Holds', 'Status']}>
      {bins.map((b) => (
        // Keyed by version: a row edited elsewhere starts again from the new values.
        <BinRowEditor key={`${b.code}@${b.version}`} bin={b} />
      ))}
    </Table>
  );
}

function BinRowEditor({ bin }: { bin: BinRow }) {
  const [state, form, pending] = useKeptForm(saveBinAction, idle as ActionState<Bin>);
  const key = useAnswered(state);
  const formId = `bin-${bin.code}`;
  const id = (f: string) => `${formId}-${f}`;
  const errors = state.fieldErrors ?? {};
  const message = state.status === 'error' ? state.message : undefined;
  return (
    <>
      <tr className={`border-t border-slate-100 align-top ${bin.active ? '' : 'text-slate-500'}`} data-testid={`bin-row-${bin.code}`}>
        <td className="px-3 py-2 font-mono">
          {bin.code}
          <form {...form} id={formId} aria-label={`Edit bin ${bin.code}`}>
            <input type="hidden" name="idempotencyKey" value={key} />
            <input type="hidden" name="warehouse" value={bin.warehouse} />
            <input type="hidden" name="code" value={bin.code} />
            <input type="hidden" name="version" value={bin.version} />
            <input type="hidden" name="sellableShown" value="1" />
          </form>
        </td>
        <td className="px-3 py-2">
          <label htmlFor={id('kind')} className="sr-only">
            Kind of {bin.code}
          </label>
          <select id={id('kind')} name="kind" form={formId} defaultValue={bin.kind} className={control} {...fieldAria(id('kind'), errors.kind)}>
            {locationKinds.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </td>
        <td className="px-3 py-2">
          <input id={id('sellable')} type="checkbox" name="sellable" form={formId} defaultChecked={bin.sellable} className="size-6" aria-label={`${bin.code} sellable`} />
        </td>
        <td className="px-3 py-2 text-right">
          <label htmlFor={id('pickOrder')} className="sr-only">
            Pick order of {bin.code}
          </label>
          <input
            id={id('pickOrder')}
            name="pickOrder"
            form={formId}
            type="number"
            inputMode="numeric"
            min={0}
            defaultValue={bin.pickOrder}
            className={`${control} w-24 text-right tabular-nums`}
            {...fieldAria(id('pickOrder'), errors.pickOrder)}
          />
        </td>
        <td className="px-3 py-2">
          <Button type="submit" form={formId} pending={pending} className="min-h-11 px-3 text-sm">
            Save
          </Button>
        </td>
        <td className="px-3 py-2 text-xs">
          {bin.contents.length || bin.holds ? (
            <ul>
              {bin.contents.map((c) => (
                <li key={c.sku}>
                  <span className="font-mono">{c.sku}</span> × {c.onHand}
                  {c.reserved ? ` (${c.reserved} reserved)` : ''}
                </li>
              ))}
              {bin.holds ? <li>{bin.holds} open hold{bin.holds === 1 ? '' : 's'}</li> : null}
            </ul>
          ) : (
            <span className="text-slate-500">empty</span>
          )}
        </td>
        <td className="px-3 py-2">
          <BinActiveForm bin={bin} />
        </td>
      </tr>
      {message || state.status === 'ok' ? (
        <tr>
          <td colSpan={7} className="px-3 pb-2">
            <p role="status" id={errors.kind ? id('kind-error') : errors.pickOrder ? id('pickOrder-error') : undefined} className={`text-sm ${message ? 'text-red-700' : 'text-emerald-800'}`}>
              {message ? `⚠ ${Object.values(errors).flat()[0] ?? message}` : `✓ ${state.message}`}
            </p>
          </td>
        </tr>
      ) : null}
    </>
  );
}

function BinActiveForm({ bin }: { bin: BinRow }) {
  const [state, form, pending] = useKeptForm(setBinActiveAction, idle as ActionState<Bin>);
  const key = useAnswered(state);
  return (
    <form {...form} aria-label={`${bin.active ? 'Deactivate' : 'Reactivate'} bin ${bin.code}`} className="space-y-1">
      <input type="hidden" name="idempotencyKey" value={key} />
      <input type="hidden" name="warehouse" value={bin.warehouse} />
      <input type="hidden" name="code" value={bin.code} />
      <input type="hidden" name="version" value={bin.version} />
      <input type="hidden" name="active" value={bin.active ? 'false' : 'true'} />
      <span className="mr-2">{bin.active ? 'Active' : 'Deactivated'}</span>
      <Button type="submit" variant={bin.active ? 'danger' : 'secondary'} pending={pending} className="min-h-11 px-3 text-sm">
        {bin.active ? 'Deactivate' : 'Reactivate'}
      </Button>
      {state.status === 'error' ? (
        <p role="alert" className="max-w-xs text-sm text-red-700">
          ⚠ {state.message}
        </p>
      ) : null}
    </form>
  );
}
