'use client';

import { startTransition, useActionState, type FormEvent } from 'react';
import type { ActionState } from '@/lib/contracts/action-state';

// A server action for a form whose fields keep what was typed when the action refuses it. React resets a
// `<form action={…}>` after every submission, refused or not, so one wrong line of a long paste would cost the whole
// paste. The returned props keep `action` (so a submit before hydration still reaches the server action) and add an
// onSubmit that dispatches the same action itself: React skips its own dispatch, and its reset, for a submit event
// already handled.
// Only useActionState inside, on purpose: extra hooks here shifted the ids of a useId called after this hook
// between the server render and hydration (a hydration error on the alerts list, which then lost what was typed).
export function useKeptForm<S extends ActionState>(action: (prev: S, formData: FormData) => Promise<S>, initial: S) {
  const [state, dispatch, pending] = useActionState<S, FormData>(action, initial as Awaited<S>);
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget, (e.nativeEvent as SubmitEvent).submitter);
    startTransition(() => dispatch(data));
  };
  return [state, { action: dispatch, onSubmit }, pending] as const;
}
