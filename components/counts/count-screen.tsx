'use client';

import { useCallback } from 'react';
import { closeCountAction, countAction } from '@/app/(shell)/counts/actions';
import { useCommand } from '@/components/floor/use-command';
import { FloorScreen, TaskCard } from '@/components/floor/floor-screen';
import { Numpad } from '@/components/floor/numpad';
import { useFloor } from '@/components/floor/use-floor';
import { useScanner } from '@/components/floor/use-scanner';
import { WarehousePicker } from '@/components/floor/warehouse-picker';
import { Button } from '@/components/ui/button';
import { binQuery, getJson, lookupScan } from '@/lib/dashboard-api';
import { queryKeys } from '@/lib/query-keys';
import type { Scan } from '@/lib/scan';
import { unitsOf } from '@/lib/scan-match';
import { CloseBinConfirm, type Unscanned } from './close-bin-confirm';
import { CountConflict, type Conflict } from './count-conflict';
import { CountResults, type CountRow } from './count-results';
import type { HistoryPage } from '@/lib/contracts/product';

// snapshot: on hand per SKU when the bin was scanned; scanned: the SKUs counted (or sent for approval) since.
type Bin = { warehouse: string; location: string; startedAt: string; snapshot: Record<string, number>; names: Record<string, string>; scanned: string[] };
type Item = { sku: string; name: string; expected: number };
type Flow = { bin: Bin | null; item: Item | null; counted: string; firstCount: number | null; conflict: Conflict | null; closing: Unscanned[] | null; results: CountRow[] };

const start: Flow = { bin: null, item: null, counted: '', firstCount: null, conflict: null, closing: null, results: [] };
// A difference past this asks for a recount before it is submitted.
const tolerance = (expected: number) => Math.max(2, Math.ceil(expected * 0.1));

export function CountScreen({ warehouses }: { warehouses: string[] }) {
  const { client, warehouse, warehouseRef, chooseWarehouse, flow, flowRef, setFlow, feedback, say, cmd } = useFloor({ warehouses, start, greeting: 'Blind count: scan a bin, then each unit (or key in the quantity).', action: countAction });
  const closeCmd = useCommand(closeCountAction);

  // Closing the bin: what its snapshot held that was not counted goes to a confirmation, then to 0 in one command.
  const openClose = useCallback(() => {
    const b = flowRef.current.bin;
    if (!b) return;
    const lines = Object.entries(b.snapshot)
      .filter(([sku, onHand]) => onHand > 0 && !b.scanned.includes(sku))
      .map(([sku, expected]) => ({ sku, name: b.names[sku] ?? sku, expected }));
    if (lines.length === 0) {
      setFlow((x) => ({ ...start, results: x.results }));
      return say('success', `Every product recorded in ${b.location} was counted: nothing to set to 0. Scan the next bin.`);
    }
    setFlow((x) => ({ ...x, item: null, counted: '', firstCount: null, closing: lines }));
    say('warning', `These ${lines.length} products were not scanned: set them to 0? Scan ${b.location} again to confirm.`);
  }, [flowRef, say, setFlow]);

  const closeBin = useCallback(async () => {
    const { bin: b, closing } = flowRef.current;
    if (!b || !closing) return;
    const state = await closeCmd.run({ warehouse: b.warehouse, location: b.location, lines: JSON.stringify(closing.map(({ sku, expected }) => ({ sku, expected }))) });
    const data = state.data;
    if (state.status === 'ok' && data?.kind === 'closed') {
      const rows: CountRow[] = closing.map((l) => ({ sku: l.sku, name: l.name, location: b.location, counted: 0, delta: -l.expected }));
      setFlow((x) => ({ ...start, results: [...rows, ...x.results] }));
      say('success', `${state.message} Scan the next bin.`);
      await client.invalidateQueries({ queryKey: queryKeys.stock.all });
    } else if (state.status === 'ok' && data?.kind === 'changed') {
      // Nothing was zeroed. The snapshot takes the new figures, so a second close shows (and confirms) what is there now.
      const now = Object.fromEntries(data.changed.map((c) => [c.sku, c.current]));
      setFlow((x) => ({ ...x, closing: null, bin: x.bin && { ...x.bin, snapshot: { ...x.bin.snapshot, ...now } } }));
      say('warning', state.message ?? 'Stock moved since the bin was scanned.');
    } else if (state.status === 'ok' && data?.kind === 'pending') {
      setFlow((x) => ({ ...start, results: x.results }));
      say('warning', state.message ?? 'Sent to a manager for approval.');
    } else {
      setFlow((x) => ({ ...x, closing: null }));
      say('error', state.message ?? 'Closing the count was refused.');
    }
    // `scanner` is made below (it takes onScan, which calls this); its refocus is stable, and it runs only later.
    scanner.refocus();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, closeCmd.run, flowRef, say, setFlow]);

  const onScan = useCallback(
    async (scan: Scan) => {
      const f = flowRef.current;
      const match = await lookupScan(client, warehouseRef.current, scan.raw);
      if (match.kind === 'location') {
        if (f.item && Number(f.counted) > 0) return say('error', `Submit the count of ${f.item.sku} in ${f.bin?.location} first, or cancel it.`);
        // The bin's own label again closes its count (a scan, so the counter's hands stay on the scanner); a third
        // time confirms.
        if (f.bin && !f.conflict && f.bin.warehouse === match.location.warehouse && f.bin.location === match.location.code) {
          return f.closing ? closeBin() : openClose();
        }
        const contents = await client.fetchQuery({ ...binQuery(match.location.warehouse, match.location.code), staleTime: 0 });
        const snapshot = Object.fromEntries(contents.levels.map((l) => [l.sku, l.onHand]));
        const names = Object.fromEntries(contents.levels.map((l) => [l.sku, l.name]));
        const bin = { warehouse: contents.warehouse, location: contents.location, startedAt: new Date().toISOString(), snapshot, names, scanned: [] };
        setFlow((x) => ({ ...x, bin, item: null, counted: '', conflict: null, firstCount: null, closing: null }));
        return say('success', `Counting ${contents.location}. Scan a product.`);
      }
      if (match.kind === 'product') {
        if (!f.bin) return say('error', 'Scan the bin you are counting first.');
        if (f.conflict) return say('error', 'Confirm or recount the count above first.');
        const p = match.product;
        // A product scanned while closing was found after all: it is counted, and the bin is closed later.
        if (f.closing) setFlow((x) => ({ ...x, closing: null }));
        if (f.item && f.item.sku !== p.sku && Number(f.counted) > 0) return say('error', `Submit the count of ${f.item.sku} first; then scan ${p.sku}.`);
        const same = f.item?.sku === p.sku;
        const counted = (same ? Number(f.counted || 0) : 0) + unitsOf(scan);
        const expected = same ? f.item!.expected : (f.bin.snapshot[p.sku] ?? 0);
        setFlow((x) => ({ ...x, item: { sku: p.sku, name: p.name, expected }, counted: String(counted), firstCount: same ? x.firstCount : null }));
        return say('success', `${counted} × ${p.name} counted so far.`);
      }
      if (match.kind === 'none') return say('error', match.badCheckDigit ? `${match.code} did not read cleanly (check digit). Scan it again.` : `No product or bin matches ${match.code}.`);
      say('error', `${scan.code} is ${match.kind === 'order' ? 'an order' : 'a purchase order'}; scan a bin or a product.`);
    },
    [client, closeBin, flowRef, openClose, say, setFlow],
  );
  const scanner = useScanner(onScan, say);

  const submit = async (expectedOverride?: number) => {
    const f = flowRef.current;
    if (!f.bin || !f.item) return;
    const counted = Number(f.counted || 0);
    const expected = expectedOverride ?? f.item.expected;
    if (expectedOverride === undefined && f.firstCount === null && Math.abs(counted - expected) > tolerance(expected)) {
      setFlow((x) => ({ ...x, firstCount: counted, counted: '' }));
      say('warning', `That differs a lot from the record. Count ${f.item.sku} in ${f.bin.location} again and submit.`);
      return scanner.refocus();
    }
    const state = await cmd.run({ sku: f.item.sku, warehouse: f.bin.warehouse, location: f.bin.location, counted, expected });
    const data = state.data;
    if (state.status === 'ok' && data?.kind === 'conflict') {
      const history = await getJson<HistoryPage>('product/history', { sku: f.item.sku, limit: 20 }).catch(() => ({ items: [] }) as unknown as HistoryPage);
      const moved = history.items.filter((m) => m.location === f.bin!.location && m.warehouse === f.bin!.warehouse && m.createdAt >= f.bin!.startedAt && m.onHandDelta !== 0);
      setFlow((x) => ({ ...x, conflict: { current: data.current, counted, expected: data.expected, moved } }));
      say('warning', `Stock moved since you started: on hand is now ${data.current}. Confirm your count of ${counted}, or recount.`);
    } else if (state.status === 'ok' && data?.kind === 'counted') {
      const diff = data.delta === 0 ? 'matches the record' : data.delta > 0 ? `${data.delta} more than recorded (+${data.delta})` : `${-data.delta} fewer than recorded (−${-data.delta})`;
      const row: CountRow = { sku: data.sku, name: f.item.name, location: data.location, counted: data.counted, delta: data.delta };
      setFlow((x) => ({ ...x, item: null, counted: '', firstCount: null, conflict: null, results: [row, ...x.results], bin: x.bin && { ...x.bin, scanned: [...x.bin.scanned, data.sku] } }));
      say(data.delta === 0 ? 'success' : 'warning', `Counted ${data.counted} × ${f.item.name} in ${data.location}: ${diff}.`);
      await client.invalidateQueries({ queryKey: queryKeys.stock.all });
    } else if (state.status === 'ok' && data?.kind === 'pending') {
      setFlow((x) => ({ ...x, item: null, counted: '', firstCount: null, conflict: null, bin: x.bin && { ...x.bin, scanned: [...x.bin.scanned, data.sku] } }));
      say('warning', state.message ?? 'Sent to a manager for approval.');
    } else {
      say('error', state.message ?? 'The count was refused.');
    }
    scanner.refocus();
  };

  const prompt = !flow.bin
    ? 'Scan a bin to count'
    : flow.conflict
      ? 'Confirm or recount'
      : flow.closing
        ? `Scan ${flow.bin.location} again to set the unscanned products to 0`
        : flow.item
          ? `Scan ${flow.item.sku} again, or submit the count`
          : `Scan a product in ${flow.bin.location}, or the bin again to close it`;

  return (
    <FloorScreen
      title="Cycle count"
      prompt={prompt}
      scanner={scanner}
      feedback={feedback}
      toolbar={<WarehousePicker codes={warehouses} value={warehouse} onChange={chooseWarehouse} />}
      task={
        flow.bin ? (
          <TaskCard bin={flow.bin.location} title={flow.item ? flow.item.name : 'Scan each product in the bin'} subtitle={flow.item ? flow.item.sku : `${flow.bin.warehouse} · blind count`} progress={flow.item ? `${flow.counted || 0}` : undefined} />
        ) : null
      }
    >
      {flow.conflict ? (
        <CountConflict
          conflict={flow.conflict}
          pending={cmd.pending}
          onConfirm={() => void submit(flow.conflict!.current)}
          onRecount={() => {
            setFlow((x) => ({ ...x, item: x.item && { ...x.item, expected: x.conflict!.current }, counted: '', conflict: null, firstCount: null }));
            say('info', 'Recount the product and submit again.');
            scanner.refocus();
          }}
        />
      ) : null}
      {flow.item && !flow.conflict ? (
        <form
          className="grid max-w-md gap-3"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <input type="hidden" name="idempotencyKey" value={cmd.key} />
          <Numpad label="Counted" value={flow.counted} onChange={(v) => setFlow((x) => ({ ...x, counted: v }))} errors={cmd.fieldErrors?.counted} />
          <div className="flex gap-2">
            <Button type="submit" variant="primary" pending={cmd.pending} className="flex-1">
              Submit count
            </Button>
            <Button onClick={() => { setFlow((x) => ({ ...x, item: null, counted: '', firstCount: null })); scanner.refocus(); }}>Cancel</Button>
          </div>
        </form>
      ) : null}
      {flow.bin && flow.closing ? (
        <CloseBinConfirm
          bin={flow.bin.location}
          lines={flow.closing}
          pending={closeCmd.pending}
          onConfirm={() => void closeBin()}
          onCancel={() => {
            setFlow((x) => ({ ...x, closing: null }));
            say('info', 'Keep counting; scan the bin again to close it.');
            scanner.refocus();
          }}
        />
      ) : null}
      {flow.bin && !flow.item && !flow.conflict && !flow.closing ? (
        <div>
          <Button onClick={openClose}>Close bin count</Button>
        </div>
      ) : null}
      <CountResults rows={flow.results} />
    </FloorScreen>
  );
}
