'use client';

import { useActionState } from 'react';
import { deleteChannelAction } from '@/app/(shell)/settings/channels/actions';
import { idle } from '@/lib/contracts/action-state';

export function DeleteChannelButton({ channelKey }: { channelKey: string }) {
  const [state, action, pending] = useActionState(deleteChannelAction, idle);
  return (
    <form
      action={action}
      onSubmit={(e) => {
        if (!confirm(`Remove channel “${channelKey}”? Storefronts naming it will be refused.`)) e.preventDefault();
      }}
    >
      <input type="hidden" name="key" value={channelKey} />
      <button disabled={pending} className="min-h-11 text-sm text-red-700 underline disabled:opacity-50">
        Remove channel
      </button>
      {state.status === 'error' ? <span className="ml-2 text-sm text-red-700">{state.message}</span> : null}
    </form>
  );
}
