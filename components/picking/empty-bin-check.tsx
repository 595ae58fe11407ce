'use client';

import Link from 'next/link';
import { countAction } from '@/app/(shell)/counts/actions';
import { useCommand } from '@/components/floor/use-command';
import { Button } from '@/components/ui/button';

export type EmptyCheck = { sku: string; warehouse: string; location: string };

// A pick that should have emptied a bin asks whether it really is empty: a free count. "Yes" records a count of
// zero (the bin's last-counted date); "No" means the record is wrong, so the bin needs a real count.
export function EmptyBinCheck({ check, onAnswered }: { check: EmptyCheck; onAnswered: (kind: 'success' | 'warning' | 'error', text: string) => void }) {
  const cmd = useCommand(countAction);
  const yes = async () => {
    const s = await cmd.run({ sku: check.sku, warehouse: check.warehouse, location: check.location, counted: 0, expected: 0 });
    if (s.status === 'ok' && s.data?.kind === 'counted') onAnswered('success', `${check.location} confirmed empty and recorded as counted.`);
    else onAnswered('warning', s.message ?? `${check.location} could not be recorded as empty; count it on the Counts screen.`);
  };
  return (
    <section aria-labelledby="empty-title" className="flex flex-wrap items-center justify-between gap-3 rounded-xl border-2 border-brand-500 bg-brand-50 p-4">
      <h2 id="empty-title" className="text-lg font-semibold">
        Is {check.location} empty now?
      </h2>
      <div className="flex flex-wrap gap-2">
        <Button variant="primary" pending={cmd.pending} onClick={() => void yes()}>
          Yes, it is empty
        </Button>
        <Button onClick={() => onAnswered('warning', `Then the record for ${check.location} is wrong: count it on the Counts screen.`)}>No, there is more</Button>
        <Link href="/counts" className="inline-flex min-h-11 items-center px-2 text-brand-700 underline">
          Count it now
        </Link>
      </div>
    </section>
  );
}
