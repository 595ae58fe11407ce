// The browser's side of the alert reads. Every key starts with 'alerts', the family the realtime hook refetches
// when the `alerts` room reports a change (components/live/live-cache.ts); why-available sits under the product's
// stock key, so level changes refetch it like the product's history.
import { queryOptions } from '@tanstack/react-query';
import { queryKeys } from './query-keys';
import type { AlertReview, ReviewQuery } from '@/lib/contracts/alerts';
import type { WhyAvailable } from '@/lib/contracts/product';

export const alertKeys = {
  all: ['alerts'] as const,
  review: (q: ReviewQuery) => ['alerts', 'review', q] as const,
  count: () => ['alerts', 'count'] as const,
  whyAvailable: (sku: string) => [...queryKeys.stock.product(sku), 'why-available'] as const,
};

export class AlertsFetchError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function getJson<T>(path: string, params: Record<string, string | number | undefined>, signal?: AbortSignal): Promise<T> {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') qs.set(k, String(v));
  const res = await fetch(`${path}${qs.size ? `?${qs}` : ''}`, { signal, headers: { accept: 'application/json' } });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { detail?: string } | null;
    throw new AlertsFetchError(res.status, body?.detail ?? `The server answered ${res.status}.`);
  }
  return (await res.json()) as T;
}

export const alertReviewQuery = (q: ReviewQuery) =>
  queryOptions({
    queryKey: alertKeys.review(q),
    queryFn: ({ signal }) =>
      getJson<AlertReview>('/api/alerts', { warehouse: q.warehouse, status: q.status, window: q.windowDays, target: q.targetDays }, signal),
    // Forecast-only rows and snooze expiry change with time, not with a message.
    refetchInterval: 60_000,
  });

export const alertCountQuery = () =>
  queryOptions({
    queryKey: alertKeys.count(),
    queryFn: ({ signal }) => getJson<{ count: number }>('/api/alerts/count', {}, signal),
    refetchInterval: 60_000,
  });

export const whyAvailableQuery = (sku: string) =>
  queryOptions({ queryKey: alertKeys.whyAvailable(sku), queryFn: ({ signal }) => getJson<WhyAvailable>('/api/why-available', { sku }, signal) });
