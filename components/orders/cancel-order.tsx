'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useActionState, useEffect, useState } from 'react';
import { cancelOrderAction } from '@/app/(shell)/orders/actions';
import { idle, type ActionState } from '@/lib/contracts/action-state';
import { queryKeys } from '@/lib/query-keys';
import { Button } from '../ui/button';

// Cancel with a confirmation: the first button asks, the second (focused; Escape backs out) cancels through the
// core command. The answer goes to the page's banner (onResult): a cancelled order may leave the filtered list.
export function CancelOrder(props: { orderId: string; reference: string; heldUnits: number; onResult: (s: ActionState) => void }) {
  const { orderId, reference, heldUnits, onResult } = props;
  const [state, action, pending] = useActionState(cancelOrderAction, idle);
  // 'back': the question was dismissed, so the first button takes the focus again.
  const [mode, setMode] = useState<'idle' | 'asking' | 'back'>('idle');
  const client = useQueryClient();
  useEffect(() => {
    if (state.status === 'idle') return;
    setMode('idle');
    onResult(state.status === 'error' ? { ...state, message: state.fieldErrors?.orderId?.[0] ?? state.message } : state);
    // The realtime feed refetches too; this answers at once when the socket is down.
    void client.invalidateQueries({ queryKey: queryKeys.orders.all });
  }, [state, client, onResult]);
  if (mode !== 'asking') {
    return (
      <Button variant="danger" onClick={() => setMode('asking')} autoFocus={mode === 'back'}>
        Cancel order<span className="sr-only"> {reference}</span>
      </Button>
    );
  }
  return (
    <form
      action={action}
      className="flex flex-wrap items-center gap-2 rounded-lg border border-red-200 bg-red-50 p-2"
      onKeyDown={(e) => e.key === 'Escape' && setMode('back')}
      aria-label={`Confirm cancelling ${reference}`}
    >
      <input type="hidden" name="orderId" value={orderId} />
      <p className="text-sm text-red-900">
        Cancel {reference}? {heldUnits ? `The ${heldUnits} units it holds go back to stock.` : 'It holds no stock.'}
      </p>
      <Button type="submit" variant="danger" pending={pending} autoFocus>
        Yes, cancel {reference}
      </Button>
      <Button onClick={() => setMode('back')} disabled={pending}>
        Keep order
      </Button>
    </form>
  );
}
