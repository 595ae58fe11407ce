'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { newKey } from '@/components/floor/new-key';
import type { ActionState } from '@/lib/contracts/action-state';
import { queryKeys } from '@/lib/query-keys';

// After each answer: a fresh idempotency key for the next submission; after an accepted one, the warehouse reads
// refetch at once (the feed would bring the change too, a moment later, to every other open screen).
export function useAnswered(state: ActionState<unknown>, after?: () => void) {
  const client = useQueryClient();
  const [key, setKey] = useState(newKey);
  useEffect(() => {
    if (state.status === 'idle') return;
    setKey(newKey());
    if (state.status === 'ok') {
      after?.();
      void client.invalidateQueries({ queryKey: queryKeys.places.all });
    }
    // Once per answer.
  }, [state]);
  return key;
}
