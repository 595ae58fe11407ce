import type { ActionState } from '@/lib/contracts/action-state';

// The one feedback banner of a form: text and an icon, never colour alone; announced to screen readers.
export function FormMessage({ state }: { state: ActionState }) {
  return (
    <div aria-live="polite" role="status">
      {state.message && state.status !== 'idle' ? (
        <p
          className={`flex items-start gap-2 rounded-md px-3 py-2 text-sm ${
            state.status === 'ok' ? 'bg-emerald-50 text-emerald-900' : 'bg-red-50 text-red-900'
          }`}
        >
          <span aria-hidden="true">{state.status === 'ok' ? '✓' : '⚠'}</span>
          <span>{state.message}</span>
        </p>
      ) : null}
    </div>
  );
}
