'use client';

import { useState } from 'react';
import { shortPickAction } from '@/app/(shell)/picking/actions';
import { Numpad } from '@/components/floor/numpad';
import { useCommand } from '@/components/floor/use-command';
import { Button } from '@/components/ui/button';
import { SelectField } from '@/components/ui/select-field';
import type { ActionState } from '@/lib/contracts/action-state';
import type { ShortPickResult } from '@/server/inventory';
import type { PickTask } from '@/lib/contracts/floor';

const reasons = [
  { value: 'not_found', label: 'Not found in the bin' },
  { value: 'damaged', label: 'Damaged' },
  { value: 'other', label: 'Other' },
];

type Props = {
  task: PickTask;
  warehouse: string;
  missing: number;
  onDone: (state: ActionState<ShortPickResult>) => void;
  onCancel: () => void;
};

// "Stock issue": the units the picker cannot pick from this bin, with a reason. The core writes them off and
// re-holds them in another bin where it can, else leaves the line short for a manager.
export function StockIssueForm({ task, warehouse, missing, onDone, onCancel }: Props) {
  const cmd = useCommand(shortPickAction);
  const [qty, setQty] = useState(String(missing));
  const [reason, setReason] = useState('');
  const errors = cmd.fieldErrors ?? {};
  const submit = async () => {
    const state = await cmd.run({ orderId: task.orderId, sku: task.sku, warehouse, location: task.location, qty, reason });
    if (state.status === 'ok') onDone(state);
  };
  return (
    <section aria-labelledby="issue-title" className="space-y-4 rounded-xl border-2 border-amber-300 bg-amber-50/50 p-4">
      <h2 id="issue-title" className="text-lg font-semibold">
        Stock issue: {task.sku} in {task.location}
      </h2>
      <form
        className="grid gap-4 sm:grid-cols-2"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <input type="hidden" name="idempotencyKey" value={cmd.key} />
        <Numpad id="issue-qty" label="Units missing" value={qty} onChange={setQty} errors={errors.qty} />
        <div className="space-y-4">
          <SelectField
            label="What is wrong"
            name="reason"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            placeholder="Choose a reason"
            options={reasons}
            errors={errors.reason}
          />
          {cmd.state.status === 'error' && !cmd.state.fieldErrors ? (
            <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-900">
              <span aria-hidden="true">✕ </span>
              {cmd.state.message}
            </p>
          ) : null}
          <div className="flex flex-wrap gap-2">
            <Button type="submit" variant="primary" pending={cmd.pending}>
              Record stock issue
            </Button>
            <Button onClick={onCancel}>Cancel</Button>
          </div>
        </div>
      </form>
    </section>
  );
}
