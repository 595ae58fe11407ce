'use client';

import { Button } from './button';
import { EmptyState } from './empty-state';

// What a screen shows when rendering it failed: what happened in plain words and a way to try again.
export function RouteError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <EmptyState title="This screen did not load">
      <p>Nothing was changed. Check the connection and try again.</p>
      <Button className="mt-3" onClick={reset}>
        Try again
      </Button>
    </EmptyState>
  );
}
