'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useCallback } from 'react';
import { receiveAction } from '@/app/(shell)/receiving/actions';
import { FloorScreen, TaskCard } from '@/components/floor/floor-screen';
import { Numpad } from '@/components/floor/numpad';
import { useCommand } from '@/components/floor/use-command';
import { useFeedback } from '@/components/floor/use-feedback';
import { useLatest } from '@/components/floor/use-floor';
import { useFlow } from '@/components/floor/use-flow';
import { useScanner } from '@/components/floor/use-scanner';
import { useWarehouse, WarehousePicker } from '@/components/floor/warehouse-picker';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { lookupScan, purchaseOrderQuery } from '@/lib/dashboard-api';
import { queryKeys } from '@/lib/query-keys';
import type { Scan } from '@/lib/scan';
import { unitsOf } from '@/lib/scan-match';
import { FinishReceipt } from './finish-receipt';
import { ReceiptLines, SessionLines, type SessionLine } from './receipt-lines';
import { judgeProduct, type Confirmation, type ReceiptItem } from './receive-flow';
import type { PurchaseOrderDetail } from '@/lib/contracts/floor';

type Flow = { item: ReceiptItem | null; confirm: Confirmation | null; session: SessionLine[]; finishing: boolean };
type Props = { reference: string | null; warehouses: { code: string; receivingBins: string[] }[] };

export function ReceiptScreen({ reference, warehouses }: Props) {
  const client = useQueryClient();
  const router = useRouter();
  const [picked, setPicked] = useWarehouse(warehouses.map((w) => w.code));
  const po = useQuery({ ...purchaseOrderQuery(reference ?? ''), enabled: Boolean(reference) });
  const warehouse = po.data?.warehouse ?? picked;
  const warehouseRef = useLatest(warehouse);
  const [flow, flowRef, setFlow] = useFlow<Flow>({ item: null, confirm: null, session: [], finishing: false });
  const [feedback, say] = useFeedback({ kind: 'info', text: reference ? `Receiving ${reference}: scan a product.` : 'Receiving without a purchase order: scan a product.' });
  const cmd = useCommand(receiveAction);

  const putAway = useCallback(
    async (location: string) => {
      const item = flowRef.current.item;
      if (!item || item.qty <= 0) return say('error', 'Scan a product first, then the put-away bin.');
      const extra = reference && !item.onOrder;
      const state = await cmd.run({
        sku: item.sku,
        warehouse: warehouseRef.current,
        location,
        qty: item.qty,
        purchaseOrder: reference && item.onOrder ? reference : undefined,
        reference: extra ? reference : undefined,
        note: extra ? `not on purchase order ${reference}` : item.overConfirmed ? 'over-receipt confirmed by re-scan' : undefined,
      });
      if (state.status === 'ok' && state.data) {
        const r = state.data;
        const line = r.purchaseOrderLine;
        const tail = line ? ` (${reference}: ${line.received} of ${line.expected}${line.remaining ? `, ${line.remaining} to go` : line.overReceived ? `, ${line.overReceived} over` : ', complete'})` : '';
        setFlow((f) => ({ ...f, item: null, confirm: null, session: [{ sku: r.sku, name: item.name, qty: r.qty, location: r.location }, ...f.session] }));
        say('success', `Received ${r.qty} × ${item.name} into ${r.location}${tail}.`);
        await Promise.all([client.invalidateQueries({ queryKey: queryKeys.receiving.all }), client.invalidateQueries({ queryKey: queryKeys.stock.all })]);
      } else if (state.status === 'ok') {
        // Held for a manager's approval: nothing received yet.
        setFlow((f) => ({ ...f, item: null, confirm: null }));
        say('warning', state.message ?? 'Sent to a manager for approval.');
      } else {
        say('error', state.message ?? 'The receipt was refused.');
      }
    },
    [client, cmd, flowRef, reference, say, setFlow],
  );

  const onScan = useCallback(
    async (scan: Scan) => {
      const f = flowRef.current;
      const match = await lookupScan(client, warehouseRef.current, scan.raw);
      if (match.kind === 'product') {
        const current = client.getQueryData<PurchaseOrderDetail>(purchaseOrderQuery(reference ?? '').queryKey) ?? null;
        const verdict = judgeProduct(match.product, unitsOf(scan), f.item, reference ? current : null, f.confirm);
        if (verdict.kind === 'error') return say('error', verdict.text);
        if (verdict.kind === 'ask') {
          setFlow((x) => ({ ...x, confirm: verdict.confirm }));
          return say('warning', verdict.text);
        }
        setFlow((x) => ({ ...x, item: verdict.item, confirm: null }));
        return say('success', `${verdict.item.qty} × ${match.product.name} to put away${verdict.item.onOrder || !reference ? '' : ' (not on the order)'}. Scan the put-away bin.`);
      }
      if (match.kind === 'location') return putAway(match.location.code);
      if (match.kind === 'purchase_order') {
        if (match.reference === reference) return say('info', `Already receiving ${reference}.`);
        return router.push(`/receiving/receipt?po=${encodeURIComponent(match.reference)}`);
      }
      if (match.kind === 'none') return say('error', match.badCheckDigit ? `${match.code} did not read cleanly (check digit). Scan it again.` : `No product or bin matches ${match.code}.`);
      say('error', `${scan.code} is an order; scan a product or a bin.`);
    },
    [client, flowRef, putAway, reference, router, say, setFlow],
  );
  const scanner = useScanner(onScan, say);

  const bins = warehouses.find((w) => w.code === warehouse)?.receivingBins ?? [];
  const item = flow.item;
  const finish = () => {
    setFlow((f) => ({ ...f, finishing: false }));
    router.push('/receiving');
  };
  if (reference && po.isError) {
    return <EmptyState title={`Purchase order ${reference} did not load`}>{po.error.message}</EmptyState>;
  }

  return (
    <FloorScreen
      title={reference ? `Receive ${reference}` : 'Receive without a purchase order'}
      prompt={item ? `Scan the put-away bin for ${item.qty} × ${item.sku}` : 'Scan a product'}
      scanner={scanner}
      feedback={feedback}
      toolbar={reference ? <span className="text-sm text-slate-600">Warehouse {warehouse}</span> : <WarehousePicker codes={warehouses.map((w) => w.code)} value={picked} onChange={setPicked} />}
      task={item ? <TaskCard title={item.name} subtitle={`${item.sku}${item.onOrder || !reference ? '' : ' · not on the order'}${item.overConfirmed ? ' · over-receipt confirmed' : ''}`} progress={item.qty} /> : null}
      actions={
        <>
          {item
            ? bins.map((b) => (
                <Button key={b} variant="primary" pending={cmd.pending} onClick={() => scanner.push(b)}>
                  Put away in {b}
                </Button>
              ))
            : null}
          {item || flow.confirm ? (
            <Button variant="danger" onClick={() => { setFlow((f) => ({ ...f, item: null, confirm: null })); say('info', 'Discarded. Scan a product.'); scanner.refocus(); }}>
              Discard
            </Button>
          ) : null}
          {reference ? (
            <Button onClick={() => (po.data?.lines.some((l) => l.remaining > 0) ? setFlow((f) => ({ ...f, finishing: true })) : finish())}>Finish receipt</Button>
          ) : null}
        </>
      }
    >
      {flow.finishing && po.data ? <FinishReceipt po={po.data} onFinish={finish} onCancel={() => setFlow((f) => ({ ...f, finishing: false }))} /> : null}
      {item ? (
        <div className="max-w-xs">
          <Numpad label="Quantity receiving" value={String(item.qty)} onChange={(v) => setFlow((f) => ({ ...f, item: f.item && { ...f.item, qty: Number(v || 0) } }))} errors={cmd.fieldErrors?.qty} />
        </div>
      ) : null}
      {reference ? (
        po.data ? <ReceiptLines po={po.data} now={item} /> : <div className="h-40 animate-pulse rounded-xl border border-slate-200 bg-white" aria-label="Loading the purchase order" />
      ) : null}
      <SessionLines lines={flow.session} />
    </FloorScreen>
  );
}
