'use client';

import { useRouter } from 'next/navigation';
import { useActionState, useEffect } from 'react';
import { approveStockChangeAction, rejectStockChangeAction } from '@/app/(shell)/approvals/actions';
import { EmptyState } from '@/components/ui/empty-state';
import { Table } from '@/components/ui/table';
import { idle } from '@/lib/contracts/action-state';

export type ApprovalRow = { id: number; command: 'count' | 'close_count' | 'receive'; why: string; requestedBy: string; createdAt: string };

// How often the queue is read again while open: requests arrive from the floor.
const REFRESH_MS = 15_000;

export function ApprovalQueue({ rows }: { rows: ApprovalRow[] }) {
  const router = useRouter();
  useEffect(() => {
    const t = setInterval(() => router.refresh(), REFRESH_MS);
    return () => clearInterval(t);
  }, [router]);
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
  const [approved, approve, approving] = useActionState(approveStockChangeAction, idle);
  const [rejected, reject, rejecting] = useActionState(rejectStockChangeAction, idle);
  const error = [approved, rejected].find((s) => s.status === 'error');
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
