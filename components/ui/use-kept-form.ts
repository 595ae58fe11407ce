'use client';

import { startTransition, useActionState, useCallback, useEffect, useRef, type FormEvent } from 'react';
import type { ActionState } from '@/lib/action-state';

// A server action for a form whose fields keep what was typed when the action refuses it. React resets a
// `<form action={…}>` after every submission, refused or not, so one wrong line of a long paste would cost the whole
// paste. The returned props keep `action` (so a submit before hydration still reaches the server action) and add an
// onSubmit that dispatches the same action itself: React skips its own dispatch, and its reset, for a submit event
// already handled. `resetOnOk` clears the form after a success (a create form, ready for the next one).
export function useKeptForm<S extends ActionState>(action: (prev: S, formData: FormData) => Promise<S>, initial: S, opts: { resetOnOk?: boolean } = {}) {
  const [state, dispatch, pending] = useActionState<S, FormData>(action, initial as Awaited<S>);
  const form = useRef<HTMLFormElement | null>(null);
  const onSubmit = useCallback(
    (e: FormEvent<HTMLFormElement>) => {
      e.preventDefault();
      form.current = e.currentTarget;
      const data = new FormData(e.currentTarget, (e.nativeEvent as SubmitEvent).submitter);
      startTransition(() => dispatch(data));
    },
    [dispatch],
  );
  useEffect(() => {
    if (opts.resetOnOk && state.status === 'ok') form.current?.reset();
  }, [state, opts.resetOnOk]);
  return [state, { action: dispatch, onSubmit }, pending] as const;
}
