'use client';

import Link from 'next/link';
import { useCallback, useEffect } from 'react';
import { adjustAction } from '@/app/(shell)/adjust/actions';
import { FloorScreen, TaskCard } from '@/components/floor/floor-screen';
import { Numpad } from '@/components/floor/numpad';
import { useFloor } from '@/components/floor/use-floor';
import { useScanner } from '@/components/floor/use-scanner';
import { WarehousePicker } from '@/components/floor/warehouse-picker';
import { Button } from '@/components/ui/button';
import { SelectField } from '@/components/ui/select-field';
import { lookupScan, productQuery } from '@/lib/dashboard-api';
import { queryKeys } from '@/lib/query-keys';
import type { Scan } from '@/lib/scan';
import { unitsOf } from '@/lib/scan-match';

export const reasonOptions = [
  { value: 'damaged', label: 'Damaged' },
  { value: 'lost', label: 'Lost' },
  { value: 'found', label: 'Found' },
  { value: 'correction', label: 'Correction' },
  { value: 'expired', label: 'Expired' },
  { value: 'returned', label: 'Returned' },
  { value: 'other', label: 'Other' },
];

type Item = { sku: string; name: string; onHand: number; reserved: number };
type Flow = { bin: { warehouse: string; location: string } | null; item: Item | null; delta: string; reason: string; note: string; last: string | null };
const start: Flow = { bin: null, item: null, delta: '', reason: '', note: '', last: null };

export function AdjustScreen({ warehouses }: { warehouses: string[] }) {
  const { client, warehouse, warehouseRef, chooseWarehouse, flow, flowRef, setFlow, feedback, say, cmd } = useFloor({ warehouses, start, greeting: 'Scan the bin, then the product to adjust.', action: adjustAction });

  const levelAt = useCallback(
    async (sku: string, bin: { warehouse: string; location: string }) => {
      const detail = await client.fetchQuery({ ...productQuery(sku), staleTime: 0 });
      const level = detail.levels.find((l) => l.warehouse === bin.warehouse && l.location === bin.location);
      return { name: detail.product.name, onHand: level?.onHand ?? 0, reserved: level?.reserved ?? 0 };
    },
    [client],
  );

  const onScan = useCallback(
    async (scan: Scan) => {
      const f = flowRef.current;
      const match = await lookupScan(client, warehouseRef.current, scan.raw);
      if (match.kind === 'location') {
        setFlow({ ...start, bin: { warehouse: match.location.warehouse, location: match.location.code } });
        return say('success', `Adjusting in ${match.location.code}. Scan the product.`);
      }
      if (match.kind === 'product') {
        if (!f.bin) return say('error', 'Scan the bin first.');
        if (f.item?.sku === match.product.sku) {
          const delta = Number(f.delta || 0) + unitsOf(scan);
          setFlow((x) => ({ ...x, delta: String(delta) }));
          return say('success', `Change is now ${delta > 0 ? '+' : ''}${delta}.`);
        }
        const level = await levelAt(match.product.sku, f.bin);
        setFlow((x) => ({ ...x, item: { sku: match.product.sku, ...level }, delta: '', last: null }));
        return say('success', `${level.name}: ${level.onHand} on hand in ${f.bin.location}. Enter the change and a reason.`);
      }
      if (match.kind === 'none') return say('error', `No product or bin matches ${match.code}.`);
      say('error', `${scan.code} is not a bin or a product.`);
    },
    [client, flowRef, levelAt, say, setFlow],
  );
  const scanner = useScanner(onScan, say);

  // The form's answer: refresh the figure shown, say what happened, keep the bin for the next product.
  useEffect(() => {
    const s = cmd.state;
    if (s.status === 'idle') return;
    if (s.status === 'ok' && s.data) {
      const r = s.data;
      setFlow((x) => ({ ...x, item: x.item && { ...x.item, onHand: r.onHand, reserved: r.reserved }, delta: '', reason: '', note: '', last: r.sku }));
      say('success', s.message ?? 'Adjusted.');
      void client.invalidateQueries({ queryKey: queryKeys.stock.all });
    } else {
      say('error', s.message ?? 'The adjustment was refused.');
    }
    scanner.refocus();
    // Runs once per answer: the other values it reads are stable or read at that moment on purpose.
  }, [cmd.state]);

  const delta = Number(flow.delta || 0);
  const prompt = !flow.bin ? 'Scan a bin' : !flow.item ? `Scan the product in ${flow.bin.location}` : 'Enter the change and a reason';

  return (
    <FloorScreen
      title="Adjust stock"
      prompt={prompt}
      scanner={scanner}
      feedback={feedback}
      toolbar={<WarehousePicker codes={warehouses} value={warehouse} onChange={chooseWarehouse} />}
      task={
        flow.bin && flow.item ? (
          <TaskCard
            bin={flow.bin.location}
            title={flow.item.name}
            subtitle={`${flow.item.sku} · ${flow.item.reserved} reserved`}
            progress={
              <span data-testid="adjust-preview">
                {flow.item.onHand} → {flow.item.onHand + delta}
                <span className="block text-base font-normal text-slate-600">({delta >= 0 ? `+${delta}` : `−${-delta}`})</span>
              </span>
            }
          >
            {flow.last ? (
              <Link href={`/stock/${encodeURIComponent(flow.last)}`} className="text-brand-700 underline">
                See it in the history of {flow.last}
              </Link>
            ) : null}
          </TaskCard>
        ) : null
      }
    >
      {flow.bin && flow.item ? (
        <form onSubmit={cmd.onSubmit} className="grid gap-4 sm:grid-cols-2" aria-label="Adjustment">
          <input type="hidden" name="idempotencyKey" value={cmd.key} />
          <input type="hidden" name="sku" value={flow.item.sku} />
          <input type="hidden" name="warehouse" value={flow.bin.warehouse} />
          <input type="hidden" name="location" value={flow.bin.location} />
          <input type="hidden" name="delta" value={flow.delta} />
          <div className="space-y-2">
            <Numpad id="adjust-delta" label="Change (+ adds, − removes)" signed value={flow.delta} onChange={(v) => setFlow((x) => ({ ...x, delta: v }))} errors={cmd.fieldErrors?.delta} />
            <div className="grid grid-cols-2 gap-2">
              <Button onClick={() => setFlow((x) => ({ ...x, delta: String(Number(x.delta || 0) - 1) }))}>−1</Button>
              <Button onClick={() => setFlow((x) => ({ ...x, delta: String(Number(x.delta || 0) + 1) }))}>+1</Button>
            </div>
          </div>
          <div className="space-y-4">
            <SelectField label="Reason" name="reason" placeholder="Choose a reason" options={reasonOptions} value={flow.reason} onChange={(e) => setFlow((x) => ({ ...x, reason: e.target.value }))} errors={cmd.fieldErrors?.reason} />
            <div>
              <label htmlFor="adjust-note" className="mb-1 block text-sm font-medium text-slate-700">
                Note (optional)
              </label>
              <textarea id="adjust-note" name="note" rows={2} value={flow.note} onChange={(e) => setFlow((x) => ({ ...x, note: e.target.value }))} className="block w-full rounded-md border border-slate-300 px-3 py-2" />
            </div>
            <Button type="submit" variant="primary" pending={cmd.pending} className="w-full">
              Confirm adjustment
            </Button>
          </div>
        </form>
      ) : null}
    </FloorScreen>
  );
}
