// The browser's side of the alert reads. Every key starts with 'alerts', the family the realtime hook refetches
// when the `alerts` room reports a change (components/live/live-cache.ts); why-available sits under the product's
// stock key, so level changes refetch it like the product's history.
import { queryOptions } from '@tanstack/react-query';
import { queryKeys } from './query-keys';
import type { AlertReview, ReviewCounts, ReviewQuery } from '@/lib/contracts/alerts';
import type { WhyAvailable } from '@/lib/contracts/product';

export const alertKeys = {
  all: ['alerts'] as const,
  review: (q: ReviewQuery) => ['alerts', 'review', q] as const,
  counts: (q: ReviewQuery, since: string, upto: string | null) => ['alerts', 'summary', q, since, upto] as const,
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

const filterParams = (q: ReviewQuery) => ({ warehouse: q.warehouse, status: q.status, urgency: q.urgency, q: q.q, window: q.windowDays, target: q.targetDays });

// One page of the review. Not refetched on a timer or on focus: a page that reshuffles under the reader's cursor is
// worse than one a minute old; live messages patch its rows, and the reader reloads it when "N new" says so.
export const alertReviewQuery = (q: ReviewQuery) =>
  queryOptions({
    queryKey: alertKeys.review(q),
    queryFn: ({ signal }) => getJson<AlertReview>('/api/alerts', { ...filterParams(q), after: q.after, limit: q.limit }, signal),
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });

// The counts of the page's filter, and the new alerts since the page was read that sort above its last row.
export const alertCountsQuery = (q: ReviewQuery, since: string, upto: string | null) =>
  queryOptions({
    queryKey: alertKeys.counts(q, since, upto),
    queryFn: ({ signal }) => getJson<ReviewCounts>('/api/alerts/summary', { ...filterParams(q), since, upto: upto ?? undefined }, signal),
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });

export const alertCountQuery = () =>
  queryOptions({
    queryKey: alertKeys.count(),
    queryFn: ({ signal }) => getJson<{ count: number }>('/api/alerts/count', {}, signal),
    refetchInterval: 60_000,
  });

export const whyAvailableQuery = (sku: string) =>
  queryOptions({ queryKey: alertKeys.whyAvailable(sku), queryFn: ({ signal }) => getJson<WhyAvailable>('/api/why-available', { sku }, signal) });
