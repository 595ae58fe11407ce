'use client';

import { useQuery } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { pickAction } from '@/app/(shell)/picking/actions';
import { FloorScreen, TaskCard } from '@/components/floor/floor-screen';
import { Numpad } from '@/components/floor/numpad';
import { useFloor } from '@/components/floor/use-floor';
import { useScanner } from '@/components/floor/use-scanner';
import { WarehousePicker } from '@/components/floor/warehouse-picker';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { pickListQuery } from '@/lib/dashboard-api';
import { queryKeys } from '@/lib/query-keys';
import type { Scan } from '@/lib/scan';
import { EmptyBinCheck, type EmptyCheck } from './empty-bin-check';
import { judgeScan, orderTasks, stepFor, type PickStep } from './pick-flow';
import { PickTaskList } from './pick-task-list';
import { ShipList } from './ship-list';
import { StockIssueForm } from './stock-issue-form';
import type { PickList } from '@/lib/contracts/floor';

type Flow = { orderId: string; skipped: string[]; step: PickStep; issue: boolean; empty: EmptyCheck | null };
const start: Flow = { orderId: '', skipped: [], step: { holdId: null, bin: false, count: 0 }, issue: false, empty: null };

export function PickingScreen({ warehouses }: { warehouses: string[] }) {
  const { client, warehouse, warehouseRef, chooseWarehouse, flow, flowRef, setFlow, feedback, say, cmd } = useFloor({ warehouses, start, greeting: 'Scan the bin shown on the card, then the product.', action: pickAction });
  const list = useQuery(pickListQuery(warehouse));
  const [qty, setQty] = useState('');

  // The current task from the freshest cached list: the scan queue reads it between renders.
  const current = useCallback(() => {
    const data = client.getQueryData<PickList>(pickListQuery(warehouseRef.current).queryKey);
    const f = flowRef.current;
    const task = orderTasks(data?.tasks ?? [], f.orderId, f.skipped)[0];
    return { task, step: stepFor(f.step, task) };
  }, [client, flowRef]);

  const refresh = useCallback(async () => {
    await Promise.all([
      client.invalidateQueries({ queryKey: queryKeys.picking.all }),
      client.invalidateQueries({ queryKey: queryKeys.stock.all }),
    ]);
  }, [client]);

  const pickNow = useCallback(
    async (units: number) => {
      const { task } = current();
      if (!task) return;
      const state = await cmd.run({ orderId: task.orderId, sku: task.sku, warehouse: warehouseRef.current, location: task.location, qty: units });
      if (state.status === 'ok' && state.data) {
        const r = state.data;
        say('success', `Picked ${r.qty} × ${task.name} from ${r.from.location} (${r.line.remaining} left on this line).${r.status === 'picked' ? ` ${r.reference} is picked: ship it below.` : ''}`);
        setQty('');
        const empty = r.from.onHand === 0 ? { sku: r.sku, warehouse: r.from.warehouse, location: r.from.location } : null;
        setFlow((f) => ({ ...f, step: { holdId: null, bin: false, count: 0 }, empty }));
        await refresh();
      } else {
        say('error', state.message ?? 'The pick was refused.');
      }
    },
    [cmd, current, refresh, say, setFlow],
  );

  const onScan = useCallback(
    async (scan: Scan) => {
      // A scan that arrived before the list did (typed while the screen loaded) waits for it rather than being refused.
      await client.ensureQueryData(pickListQuery(warehouseRef.current));
      const { task, step } = current();
      // Scanning on answers the "is it empty" question with "not asked": it was a courtesy, not a gate.
      if (flowRef.current.empty) setFlow((f) => ({ ...f, empty: null }));
      if (flowRef.current.issue) return say('error', 'Finish or cancel the stock issue first.');
      // The order's reference (from the pick slip) chooses the order to pick, with no need to reach the list.
      const order = client.getQueryData<PickList>(pickListQuery(warehouseRef.current).queryKey)?.orders.find((o) => o.reference.toUpperCase() === scan.code.toUpperCase());
      if (order) {
        if (order.status === 'picked') return say('info', `${order.reference} is picked: ship it below.`);
        setFlow((f) => ({ ...f, orderId: order.id, skipped: [], step: { holdId: null, bin: false, count: 0 } }));
        return say('info', `Picking ${order.reference}: scan the bin shown on the card.`);
      }
      if (!task) return say('error', `Nothing to pick here: ${scan.code} was not used.`);
      const verdict = judgeScan(scan, task, step, warehouseRef.current);
      if (verdict.kind === 'error') return say('error', verdict.text);
      if (verdict.kind === 'info') return say('info', verdict.text);
      if (verdict.kind === 'bin-ok') {
        setFlow((f) => ({ ...f, step: { ...step, bin: true } }));
        return say('success', `Bin ${task.location} confirmed. Scan ${task.name}.`);
      }
      setFlow((f) => ({ ...f, step: { ...step, count: verdict.count } }));
      if (verdict.complete) return pickNow(verdict.count);
      say('success', `${verdict.count} of ${task.qty} × ${task.name}. Scan the next one, or confirm the quantity.`);
    },
    [client, current, flowRef, pickNow, say, setFlow],
  );
  const scanner = useScanner(onScan, say);

  const tasks = orderTasks(list.data?.tasks ?? [], flow.orderId, flow.skipped);
  const task = tasks[0];
  const step = stepFor(flow.step, task);
  const orders = (list.data?.orders ?? []).filter((o) => o.status !== 'picked');
  const prompt = !task ? 'Nothing to pick' : !step.bin ? `Scan bin ${task.location}` : `Scan ${task.sku}`;

  const toolbar = (
    <div className="flex flex-wrap items-end gap-3">
      <WarehousePicker codes={warehouses} value={warehouse} onChange={(c) => chooseWarehouse(c, (f) => ({ ...f, orderId: '', skipped: [] }))} />
      <label className="flex items-center gap-2 text-sm font-medium text-slate-700">
        Order
        <select
          value={flow.orderId}
          onChange={(e) => setFlow((f) => ({ ...f, orderId: e.target.value, skipped: [] }))}
          className="min-h-11 rounded-md border border-slate-300 bg-white px-3 text-base"
        >
          <option value="">All orders ({orders.length})</option>
          {orders.map((o) => (
            <option key={o.id} value={o.id}>
              {o.reference} · {o.picked + o.short}/{o.units}
            </option>
          ))}
        </select>
      </label>
    </div>
  );

  const taskCard = list.isPending ? (
    <div className="h-48 animate-pulse rounded-xl border border-slate-200 bg-white" aria-label="Loading the pick list" />
  ) : list.isError ? (
    <EmptyState title="The pick list did not load">
      {list.error.message} <Button onClick={() => list.refetch()}>Try again</Button>
    </EmptyState>
  ) : !task ? (
    <EmptyState title="Nothing left to pick">Allocated orders for {warehouse} appear here in bin order.</EmptyState>
  ) : (
    <TaskCard bin={task.location} title={`${task.name}`} subtitle={`${task.sku} · order ${task.reference}, line ${task.lineNo}`} progress={`${step.count} / ${task.qty}`}>
      <p className="text-sm text-slate-600" data-testid="task-step">
        {step.bin ? `Bin confirmed · scan the product ${task.qty - step.count} more time(s), or set the quantity` : 'Scan the bin to start'}
      </p>
    </TaskCard>
  );

  const issueDone = async (s: Parameters<Parameters<typeof StockIssueForm>[0]['onDone']>[0]) => {
    say(s.data?.outcome === 'short' ? 'warning' : 'success', s.message ?? 'Stock issue recorded.');
    setFlow((f) => ({ ...f, issue: false, step: { holdId: null, bin: false, count: 0 } }));
    await refresh();
    scanner.refocus();
  };

  return (
    <FloorScreen title="Picking" prompt={prompt} scanner={scanner} feedback={feedback} toolbar={toolbar} task={taskCard}>
      {flow.empty ? (
        <EmptyBinCheck
          check={flow.empty}
          onAnswered={(kind, text) => {
            say(kind, text);
            setFlow((f) => ({ ...f, empty: null }));
            scanner.refocus();
          }}
        />
      ) : null}
      {task && flow.issue ? (
        <StockIssueForm
          task={task}
          warehouse={warehouse}
          missing={task.qty - step.count}
          onDone={issueDone}
          onCancel={() => {
            setFlow((f) => ({ ...f, issue: false }));
            scanner.refocus();
          }}
        />
      ) : null}
      {task && !flow.issue ? (
        <div className="grid gap-4 sm:grid-cols-[minmax(0,18rem)_1fr]">
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void pickNow(Number(qty || step.count));
            }}
            className="space-y-3"
          >
            <input type="hidden" name="idempotencyKey" value={cmd.key} />
            <Numpad label="Quantity to pick" value={qty} onChange={setQty} errors={cmd.fieldErrors?.qty} />
            <Button type="submit" variant="primary" className="w-full" pending={cmd.pending} disabled={!step.bin || !(Number(qty) > 0 || step.count > 0)}>
              Confirm quantity
            </Button>
          </form>
          <div className="flex flex-wrap content-start gap-2">
            <Button
              onClick={() => {
                setFlow((f) => ({ ...f, skipped: [...f.skipped.filter((h) => h !== task.holdId), task.holdId], step: { holdId: null, bin: false, count: 0 } }));
                say('info', `Skipped ${task.sku} in ${task.location}; it is now last.`);
                scanner.refocus();
              }}
            >
              Skip
            </Button>
            <Button variant="danger" onClick={() => setFlow((f) => ({ ...f, issue: true }))}>
              Stock issue
            </Button>
          </div>
        </div>
      ) : null}
      <PickTaskList tasks={tasks} />
      <ShipList
        orders={list.data?.orders ?? []}
        onShipped={async (s) => {
          say(s.status === 'ok' ? 'success' : 'error', s.message ?? '');
          await refresh();
          scanner.refocus();
        }}
      />
    </FloorScreen>
  );
}
