'use client';

import { startTransition, useActionState, useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { idle, type ActionState } from '@/lib/contracts/action-state';
import { newKey } from './new-key';

export type Action<T> = (prev: ActionState<T>, formData: FormData) => Promise<ActionState<T>>;
export type Fields = Record<string, string | number | undefined | null>;

// A server action behind useActionState, with the form's idempotency key (renewed after each completed
// submission, so a double click or a retry of one submission applies once) and run(), which scan-driven
// screens await so their queue handles one scan's write before the next scan.
// A network failure is answered, not thrown: the screen stays, the scan queue moves on, and the key is kept so a
// retry of a request that did reach the server is recognised and applied once.
type Answer<T> = ActionState<T> & { retry?: boolean };

export function useCommand<T>(action: Action<T>) {
  const safe = useCallback(
    async (prev: Answer<T>, fd: FormData): Promise<Answer<T>> => {
      try {
        return await action(prev, fd);
      } catch {
        return { status: 'error', message: 'No answer from the server. Check the connection and try again: a retry applies once.', at: Date.now(), retry: true };
      }
    },
    [action],
  );
  const [state, formAction, pending] = useActionState(safe, idle as Answer<T>);
  const [key, setKey] = useState(newKey);
  const keyRef = useRef(key);
  const waiters = useRef<((s: ActionState<T>) => void)[]>([]);

  useEffect(() => {
    if (state.status === 'idle') return;
    if (!state.retry) {
      const next = newKey();
      keyRef.current = next;
      setKey(next);
    }
    for (const resolve of waiters.current.splice(0)) resolve(state);
  }, [state]);

  const run = useCallback(
    (fields: Fields) =>
      new Promise<ActionState<T>>((resolve) => {
        const fd = new FormData();
        for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== null && v !== '') fd.set(k, String(v));
        fd.set('idempotencyKey', keyRef.current);
        waiters.current.push(resolve);
        startTransition(() => formAction(fd));
      }),
    [formAction],
  );

  // For a form: submitted without React's automatic reset (controlled fields keep their values), with the key.
  const onSubmit = useCallback(
    (e: FormEvent<HTMLFormElement>) => {
      e.preventDefault();
      const fd = new FormData(e.currentTarget);
      fd.set('idempotencyKey', keyRef.current);
      startTransition(() => formAction(fd));
    },
    [formAction],
  );

  // What the last answer said of each field it refused, shown next to the field.
  const fieldErrors = state.status === 'error' ? state.fieldErrors : undefined;

  return { state, pending, key, run, onSubmit, fieldErrors };
}
