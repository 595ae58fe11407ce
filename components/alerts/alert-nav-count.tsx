'use client';

import { useQuery } from '@tanstack/react-query';
import { alertCountQuery } from '@/lib/alerts-api';

// Open alerts nobody has acknowledged or snoozed, next to "Alerts" for managers. Its query key joins the
// `alerts` room, so the count follows every alert change on any page.
export function AlertNavCount() {
  const { data } = useQuery(alertCountQuery());
  if (!data?.count) return null;
  return (
    <span className="ml-auto rounded-full bg-red-700 px-2 py-0.5 text-xs font-semibold text-white tabular-nums" data-testid="alert-count">
      {data.count}
      <span className="sr-only"> need attention</span>
    </span>
  );
}
