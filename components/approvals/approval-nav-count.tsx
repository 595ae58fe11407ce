'use client';

import { useQuery } from '@tanstack/react-query';
import { approvalCountQuery } from '@/lib/approvals-api';

// Stock changes waiting for a manager, next to "Approvals". Its query key joins the `approvals` room, so the count
// follows every request asked for or decided, on any page.
export function ApprovalNavCount() {
  const { data } = useQuery(approvalCountQuery());
  if (!data?.count) return null;
  return (
    <span className="ml-auto rounded-full bg-amber-700 px-2 py-0.5 text-xs font-semibold text-white tabular-nums" data-testid="approval-count">
      {data.count}
      <span className="sr-only"> waiting</span>
    </span>
  );
}
