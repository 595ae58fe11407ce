// The browser's side of the approval queue. Every key starts with 'approvals': a query of that family on screen joins
// the `approvals` room (components/live/live-cache.ts), whose messages read the family again. No timer: a reconnect
// or `resync` reads it again too, and a manager switching back to the tab reads it on focus.
import { queryOptions } from '@tanstack/react-query';
import type { ApprovalQueue } from '@/lib/contracts/approvals';

export const approvalKeys = {
  all: ['approvals'] as const,
  queue: () => ['approvals', 'queue'] as const,
  count: () => ['approvals', 'count'] as const,
};

async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(path, { signal, headers: { accept: 'application/json' } });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { detail?: string } | null;
    throw new Error(body?.detail ?? `The server answered ${res.status}.`);
  }
  return (await res.json()) as T;
}

export const approvalQueueQuery = () =>
  queryOptions({ queryKey: approvalKeys.queue(), queryFn: ({ signal }) => getJson<ApprovalQueue>('/api/approvals', signal) });

export const approvalCountQuery = () =>
  queryOptions({ queryKey: approvalKeys.count(), queryFn: ({ signal }) => getJson<{ count: number }>('/api/approvals/count', signal) });
