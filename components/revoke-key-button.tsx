'use client';

import { useActionState } from 'react';
import { revokeApiKeyAction } from '@/app/(shell)/settings/actions';
import { idle } from '@/lib/contracts/action-state';

export function RevokeKeyButton({ id, name }: { id: string; name: string }) {
  const [state, action, pending] = useActionState(revokeApiKeyAction, idle);
  return (
    <form
      action={action}
      onSubmit={(e) => {
        if (!confirm(`Revoke “${name}”? Calls using it will be refused.`)) e.preventDefault();
      }}
    >
      <input type="hidden" name="id" value={id} />
      <button disabled={pending} className="min-h-11 text-sm text-red-700 underline disabled:opacity-50">
        Revoke
      </button>
      {state.status === 'error' ? <span className="ml-2 text-sm text-red-700">{state.message}</span> : null}
    </form>
  );
}
