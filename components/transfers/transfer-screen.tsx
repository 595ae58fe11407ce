'use client';

import { useQuery } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { transferAction, transferAllAction } from '@/app/(shell)/transfers/actions';
import { useCommand } from '@/components/floor/use-command';
import { FloorScreen, TaskCard } from '@/components/floor/floor-screen';
import { Numpad } from '@/components/floor/numpad';
import { useFloor, useLatest } from '@/components/floor/use-floor';
import { useScanner } from '@/components/floor/use-scanner';
import { WarehousePicker } from '@/components/floor/warehouse-picker';
import { Button } from '@/components/ui/button';
import { binQuery, lookupScan, productQuery } from '@/lib/dashboard-api';
import { queryKeys } from '@/lib/query-keys';
import type { Scan } from '@/lib/scan';
import { unitsOf } from '@/lib/scan-match';
import { BinContentsTable } from './bin-contents-table';
import { MoveAllConfirm } from './move-all-confirm';

type Place = { warehouse: string; location: string };
type Item = { sku: string; name: string; available: number; suggested: string | null };
// all: "move everything" is under way; its `to` is set by the first scan of the destination, a second confirms.
type Flow = { from: Place | null; item: Item | null; qty: string; confirm: string | null; all: { to: Place | null } | null };
const start: Flow = { from: null, item: null, qty: '', confirm: null, all: null };

export function TransferScreen({ warehouses }: { warehouses: string[] }) {
  const { client, warehouse, warehouseRef, chooseWarehouse, flow, flowRef, setFlow, feedback, say, cmd } = useFloor({ warehouses, start, greeting: 'Scan the bin to move stock from.', action: transferAction });
  const [toWarehouse, setToWarehouse] = useState('');
  const to = toWarehouse || warehouse;
  const toRef = useLatest(to);
  const bin = useQuery({ ...binQuery(flow.from?.warehouse ?? '', flow.from?.location ?? ''), enabled: Boolean(flow.from) });
  const allCmd = useCommand(transferAllAction);

  const moveAll = useCallback(
    async (to: Place) => {
      const f = flowRef.current;
      if (!f.from) return;
      const state = await allCmd.run({ fromWarehouse: f.from.warehouse, fromLocation: f.from.location, toWarehouse: to.warehouse, toLocation: to.location });
      if (state.status === 'ok' && state.data) {
        setFlow((x) => ({ ...x, all: null }));
        const held = state.data.lines.reduce((s, l) => s + l.reservedLeft, 0);
        say('success', `${state.message}${held > 0 ? ` ${held} held units stay in ${state.data.from.location}.` : ''}`);
        await client.invalidateQueries({ queryKey: queryKeys.stock.all });
      } else {
        say('error', state.message ?? 'Moving everything was refused.');
      }
    },
    [allCmd, client, flowRef, say, setFlow],
  );

  const move = useCallback(
    async (to: { warehouse: string; location: string }) => {
      const f = flowRef.current;
      if (!f.from || !f.item) return;
      const state = await cmd.run({
        sku: f.item.sku,
        fromWarehouse: f.from.warehouse,
        fromLocation: f.from.location,
        toWarehouse: to.warehouse,
        toLocation: to.location,
        qty: f.qty,
      });
      if (state.status === 'ok' && state.data) {
        const r = state.data;
        setFlow((x) => ({ ...x, item: null, qty: '', confirm: null }));
        say('success', `Moved ${r.qty} × ${f.item.name} from ${r.from.location} to ${r.to.warehouse} ${r.to.location} (${r.from.available} left free in ${r.from.location}).`);
        await client.invalidateQueries({ queryKey: queryKeys.stock.all });
      } else {
        say('error', state.message ?? 'The transfer was refused.');
      }
    },
    [client, cmd, flowRef, say, setFlow],
  );

  const onScan = useCallback(
    async (scan: Scan) => {
      const f = flowRef.current;
      const destination = Boolean(f.from && ((f.item && Number(f.qty) > 0) || f.all));
      const match = await lookupScan(client, destination ? toRef.current : warehouseRef.current, scan.raw);
      if (match.kind === 'location') {
        const loc = { warehouse: match.location.warehouse, location: match.location.code };
        if (!destination) {
          if (f.item) return say('error', `Scan ${f.item.sku} at least once (or key in a quantity) before the destination.`);
          setFlow({ ...start, from: loc });
          return say('success', `Moving from ${loc.warehouse} ${loc.location}. Scan a product to move.`);
        }
        if (loc.warehouse === f.from!.warehouse && loc.location === f.from!.location) return say('error', `That is the source bin; scan the destination.`);
        if (f.all) {
          // Everything moves on the second scan of the same destination: a first scan only names it, for review.
          if (f.all.to && f.all.to.warehouse === loc.warehouse && f.all.to.location === loc.location) return moveAll(loc);
          setFlow((x) => ({ ...x, all: { to: loc } }));
          return say('warning', `Move everything free in ${f.from!.location} to ${loc.warehouse} ${loc.location}? Scan ${loc.location} again to confirm.`);
        }
        const code = `${loc.warehouse}:${loc.location}`;
        const suggested = f.item!.suggested;
        if (suggested && suggested !== code && f.confirm !== code) {
          setFlow((x) => ({ ...x, confirm: code }));
          return say('warning', `Put it in ${loc.location} instead of ${suggested.split(':')[1]}? Scan ${loc.location} again to confirm.`);
        }
        return move(loc);
      }
      if (match.kind === 'product') {
        if (!f.from) return say('error', 'Scan the source bin first.');
        if (f.all) return say('error', 'Scan the destination for everything, or cancel moving everything first.');
        const p = match.product;
        if (f.item && f.item.sku !== p.sku) return say('error', `Finish moving ${f.item.sku} first (scan its destination), or cancel.`);
        const contents = await client.fetchQuery({ ...binQuery(f.from.warehouse, f.from.location), staleTime: 0 });
        const level = contents.levels.find((l) => l.sku === p.sku);
        if (!level || level.available <= 0) return say('error', `No ${p.sku} free to move in ${f.from.location}.`);
        const qty = Number(f.item ? f.qty || 0 : 0) + unitsOf(scan);
        if (qty > level.available) return say('error', `Only ${level.available} × ${p.sku} free in ${f.from.location}.`);
        let suggested = f.item?.suggested ?? null;
        if (!f.item) {
          // Where the product already lives in the destination warehouse (pick bin first): a re-scan confirms another.
          const detail = await client.fetchQuery(productQuery(p.sku));
          const home = detail.levels.find((l) => l.warehouse === toRef.current && !(l.warehouse === f.from!.warehouse && l.location === f.from!.location) && l.sellable);
          suggested = home ? `${home.warehouse}:${home.location}` : null;
        }
        setFlow((x) => ({ ...x, item: { sku: p.sku, name: p.name, available: level.available, suggested }, qty: String(qty), confirm: null }));
        return say('success', `${qty} × ${p.name} to move. Scan the destination${suggested ? ` (${suggested.split(':')[1]})` : ''}.`);
      }
      if (match.kind === 'none') return say('error', `No product or bin matches ${match.code}.`);
      say('error', `${scan.code} is not a bin or a product.`);
    },
    [client, flowRef, move, moveAll, say, setFlow],
  );
  const scanner = useScanner(onScan, say);

  const prompt = !flow.from
    ? 'Scan the source bin'
    : flow.all
      ? flow.all.to
        ? `Scan ${flow.all.to.location} again to move everything`
        : 'Scan the destination for everything'
      : !flow.item
      ? `Scan a product in ${flow.from.location}`
      : `Scan the destination${flow.item.suggested ? ` (${flow.item.suggested.split(':')[1]})` : ''}`;

  return (
    <FloorScreen
      title="Transfer"
      prompt={prompt}
      scanner={scanner}
      feedback={feedback}
      toolbar={
        <div className="flex flex-wrap gap-3">
          <WarehousePicker label="From" codes={warehouses} value={warehouse} onChange={chooseWarehouse} />
          <WarehousePicker label="To" codes={warehouses} value={to} onChange={setToWarehouse} />
        </div>
      }
      task={
        flow.from ? (
          <TaskCard
            bin={flow.from.location}
            title={flow.item ? flow.item.name : 'Scan what to move'}
            subtitle={flow.item ? `${flow.item.sku} · ${flow.item.available} free here · to ${to}${flow.item.suggested ? ` ${flow.item.suggested.split(':')[1]}` : ''}` : `${flow.from.warehouse} → ${to}`}
            progress={flow.item ? flow.qty || '0' : undefined}
          />
        ) : null
      }
    >
      {flow.item ? (
        <div className="grid max-w-md gap-3">
          <Numpad label="Quantity to move" value={flow.qty} onChange={(v) => setFlow((x) => ({ ...x, qty: v }))} errors={cmd.fieldErrors?.qty ?? cmd.fieldErrors?.toLocation} />
          <div className="flex flex-wrap gap-2">
            {flow.item.suggested ? (
              <Button variant="primary" pending={cmd.pending} onClick={() => scanner.push(flow.item!.suggested!)}>
                Move to {flow.item.suggested.replace(':', ' ')}
              </Button>
            ) : null}
            <Button onClick={() => { setFlow((x) => ({ ...x, item: null, qty: '', confirm: null })); scanner.refocus(); }}>Cancel this product</Button>
          </div>
        </div>
      ) : null}
      {flow.from && flow.all && bin.data ? (
        <MoveAllConfirm
          bin={bin.data}
          to={flow.all.to}
          pending={allCmd.pending}
          onConfirm={() => flow.all?.to && void moveAll(flow.all.to)}
          onCancel={() => {
            setFlow((x) => ({ ...x, all: null }));
            say('info', 'Scan a product to move it on its own.');
            scanner.refocus();
          }}
        />
      ) : null}
      {flow.from && !flow.item && !flow.all && bin.data?.levels.some((l) => l.available > 0) ? (
        <div>
          <Button
            onClick={() => {
              setFlow((x) => ({ ...x, all: { to: null } }));
              say('info', `Moving everything free in ${flow.from!.location}; held units stay. Scan the destination bin.`);
              scanner.refocus();
            }}
          >
            Move everything
          </Button>
        </div>
      ) : null}
      {bin.data ? <BinContentsTable bin={bin.data} highlight={flow.item?.sku} /> : null}
    </FloorScreen>
  );
}
