'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useActionState, useEffect } from 'react';
import { approveStockChangeAction, rejectStockChangeAction } from '@/app/(shell)/approvals/actions';
import { EmptyState } from '@/components/ui/empty-state';
import { Table } from '@/components/ui/table';
import { approvalKeys, approvalQueueQuery } from '@/lib/approvals-api';
import { idle } from '@/lib/contracts/action-state';
import type { ApprovalRow } from '@/lib/contracts/approvals';

export type { ApprovalRow };

// Requests arrive from the floor and other managers decide them: the queue is live. Its query joins the `approvals`
// room, and each request asked for, approved or rejected reads it again (components/live); the server's rows are
// what it shows until then.
export function ApprovalQueue({ rows: initial }: { rows: ApprovalRow[] }) {
  const { data } = useQuery({ ...approvalQueueQuery(), initialData: { rows: initial } });
  const rows = data.rows;
  if (!rows.length) {
    return <EmptyState title="Nothing waits for approval">Staff counts beyond the tolerance and large receipts without a purchase order appear here.</EmptyState>;
  }
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
      <Table columns={['Asked', 'By', 'What', 'Decision']} caption="Stock changes waiting for a manager">
        {rows.map((r) => (
          <tr key={r.id} className="border-t border-slate-100 align-top">
            <td className="px-4 py-3 whitespace-nowrap">{new Date(r.createdAt).toLocaleString()}</td>
            <td className="px-4 py-3">{r.requestedBy}</td>
            <td className="px-4 py-3">
              <span className="font-medium">{r.command === 'count' ? 'Count' : r.command === 'close_count' ? 'Closing a bin count' : 'Receipt'}:</span> {r.why}
            </td>
            <td className="px-4 py-3">
              <Decide id={r.id} />
            </td>
          </tr>
        ))}
      </Table>
    </div>
  );
}

function Decide({ id }: { id: number }) {
  const client = useQueryClient();
  const [approved, approve, approving] = useActionState(approveStockChangeAction, idle);
  const [rejected, reject, rejecting] = useActionState(rejectStockChangeAction, idle);
  const error = [approved, rejected].find((s) => s.status === 'error');
  const decided = approved.status === 'ok' || rejected.status === 'ok';
  // The deciding manager's own queue need not wait for the room's message.
  useEffect(() => {
    if (decided) void client.invalidateQueries({ queryKey: approvalKeys.all });
  }, [decided, client]);
  return (
    <div className="flex flex-wrap items-start gap-2">
      <form action={approve}>
        <input type="hidden" name="id" value={id} />
        <button disabled={approving || rejecting} className="min-h-11 rounded-md bg-brand-600 px-3 text-sm font-medium text-white disabled:opacity-60">
          Approve
        </button>
      </form>
      <form action={reject} className="flex flex-wrap items-start gap-2">
        <input type="hidden" name="id" value={id} />
        <label className="sr-only" htmlFor={`reason-${id}`}>
          Reason for rejecting
        </label>
        <input id={`reason-${id}`} name="reason" maxLength={500} placeholder="Reason for rejecting" className="min-h-11 rounded-md border border-slate-300 px-3 text-sm" />
        <button disabled={approving || rejecting} className="min-h-11 rounded-md border border-slate-300 px-3 text-sm font-medium disabled:opacity-60">
          Reject
        </button>
      </form>
      {error ? (
        <p role="alert" className="w-full text-sm text-red-700">
          {error.status === 'error' ? (error.fieldErrors?.reason?.[0] ?? error.fieldErrors?.id?.[0] ?? error.message) : null}
        </p>
      ) : null}
    </div>
  );
}
