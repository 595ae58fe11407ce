// Scenario 7 — floor speed: real Chromium against the built app, a keyboard-wedge scanner's keys (a 13-digit code
// and Enter in ~25 ms), and the time from the scan's Enter to its feedback on screen: the product page shown with
// its figures (stock search), the bin confirmed or the line picked (picking). Once on a quiet app, once while REST clients take and
// release holds at a steady rate; and a burst of 20 scans 30 ms apart, which must all count, in order.
//   npm run bench:floor -- [--scans 200] [--holds-per-second 50] [--clients 8]
import { randomUUID } from 'node:crypto';
import { chromium, type Page } from '@playwright/test';
import { allocateOrder } from '@/server/inventory/commands/allocate-order';
import { systemActor } from '@/server/inventory/kernel/actor';
import { seedUsers } from '@/server/cli/demo/seed';
import { demoPassword, ean13CheckDigit } from '@/server/cli/demo/seed-data';
import { httpClient, startApp } from './support/app';
import { fmt, loadavg, log, num, percentiles, printTable, sleep, type ResultLine } from './support/common';
import { runScenario } from './support/scenario';
import { makeApiKey, makeWorld } from './support/world';

const SCANS = num('scans', 200);
const HOLDS = num('holds-per-second', 50);
const CLIENTS = num('clients', 8);
const ean = (i: number) => {
  const first12 = `20${String(1_000_000_000 + i).slice(-10)}`;
  return `${first12}${ean13CheckDigit(first12)}`;
};

// In the page, before its own scripts: the time of each Enter, and of each new message in the feedback banner.
const probe = () => {
  const w = window as unknown as { __enter: number; __fb: { at: number; text: string }[] };
  w.__enter = 0;
  w.__fb = [];
  window.addEventListener('keydown', (e) => e.key === 'Enter' && (w.__enter = performance.now()), true);
  new MutationObserver((records) => {
    for (const r of records)
      for (const n of r.addedNodes)
        if (n instanceof HTMLElement && n.parentElement?.getAttribute('aria-label') === 'Feedback') w.__fb.push({ at: performance.now(), text: n.textContent ?? '' });
  }).observe(document, { childList: true, subtree: true });
};

// A scanner: the code at ~2 ms a key, then Enter.
async function wedge(page: Page, code: string) {
  await page.keyboard.type(code, { delay: 2 });
  await page.keyboard.press('Enter');
}

// Time from the last Enter to the first feedback message containing `text` that came after it.
async function feedbackAfterEnter(page: Page, text: string): Promise<number> {
  const h = await page.waitForFunction(
    (t) => {
      const w = window as unknown as { __enter: number; __fb: { at: number; text: string }[] };
      const m = w.__fb.find((f) => f.at >= w.__enter && f.text.includes(t));
      return m ? m.at - w.__enter : false;
    },
    text,
    { polling: 'raf', timeout: 30_000 },
  );
  return (await h.jsonValue()) as number;
}

runScenario('floor', { pool: 4 }, async ({ url, conn, loadBefore, report }) => {
  let app: Awaited<ReturnType<typeof startApp>> | undefined;
  const browser = await chromium.launch({ executablePath: process.env.ONHAND_CHROMIUM ?? '/usr/bin/chromium' });
  try {
    // Products for the stock scans (each scanned once, so no answer comes from the page's cache), the picks, the
    // burst, and the REST load.
    const total = SCANS * 2 + 2000;
    const world = await makeWorld(conn.sql, { products: total, stock: 1000, barcodes: (i) => `0${ean(i)}` });
    await seedUsers(conn.db);
    const key = await makeApiKey(conn.db, ['reservations:write']);
    const eanOf = new Map<string, string>();
    const rows = await conn.sql<{ sku: string; barcodes: string[]; name: string }[]>`SELECT sku, barcodes, name FROM products`;
    for (const r of rows) eanOf.set(r.sku, r.barcodes[0].slice(1));
    const nameOf = new Map(rows.map((r) => [r.sku, r.name]));
    const skus = world.skus;
    const actor = systemActor('bench');
    let next = 0;
    const take = (n: number) => skus.slice(next, (next += n));

    log('starting the app and the sidecar…');
    app = await startApp(url, { poolSize: 10 });
    const page = await browser.newPage();
    await page.addInitScript(probe);
    await page.goto(`${app.appUrl}/sign-in`);
    await page.getByLabel('Email').fill('staff@onhand.test');
    await page.getByLabel('Password').fill(demoPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor({ timeout: 60_000 });

    // The stock search: each scan opens its product; back to the search for the next one (not timed).
    const stockScans = async (n: number) => {
      const ms: number[] = [];
      await page.goto(`${app!.appUrl}/stock?warehouse=BENCH`);
      for (const sku of take(n)) {
        const field = page.getByLabel('Search by SKU, name or barcode');
        await field.waitFor();
        await page.waitForFunction(() => document.activeElement?.id === 'stock-q');
        await wedge(page, eanOf.get(sku)!);
        const h = await page.waitForFunction(
          (name) => {
            const w = window as unknown as { __enter: number };
            const h1 = document.querySelector('h1');
            // The product shown with its figures, not only its name.
            const onHand = document.querySelector('[data-testid="summary-on-hand"]')?.textContent;
            return location.pathname.startsWith('/stock/') && h1?.textContent === name && onHand !== undefined && onHand !== '…' ? performance.now() - w.__enter : false;
          },
          nameOf.get(sku)!,
          { polling: 'raf', timeout: 30_000 },
        );
        ms.push((await h.jsonValue()) as number);
        await page.goBack();
      }
      return ms;
    };

    // Picking: an order of n/2 one-unit lines in one bin; each line is a bin scan (confirmed on the device) and a
    // product scan (the pick saved on the server, then shown).
    const pickScans = async (n: number) => {
      const lines = take(Math.ceil(n / 2)).map((sku) => ({ sku, qty: 1 }));
      const reference = `SO-BENCH-${randomUUID().slice(0, 6).toUpperCase()}`;
      await allocateOrder(conn.db, { reference, channel: 'web', lines }, { actor });
      await page.goto(`${app!.appUrl}/picking`);
      await page.waitForFunction(() => document.activeElement?.id === 'scan-field');
      await wedge(page, reference);
      await feedbackAfterEnter(page, `Picking ${reference}`);
      const bin: number[] = [];
      const pick: number[] = [];
      for (let i = 0; i < lines.length; i++) {
        await wedge(page, world.pickBin);
        bin.push(await feedbackAfterEnter(page, `Bin ${world.pickBin} confirmed`));
        const sku = (await page.locator('#scan-prompt').textContent())!.replace('Scan ', '');
        await wedge(page, eanOf.get(sku)!);
        pick.push(await feedbackAfterEnter(page, `Picked 1 × ${nameOf.get(sku)}`));
      }
      return { bin, pick, all: [...bin, ...pick] };
    };

    // Receiving without a purchase order: a product scan (looked up, shown as "to put away"), then the bin scan
    // (the receipt saved on the server, then shown). Products come round again: receiving the same one is normal.
    const receiveScans = async (n: number) => {
      const product: number[] = [];
      const bin: number[] = [];
      await page.goto(`${app!.appUrl}/receiving/receipt`);
      await page.waitForFunction(() => document.activeElement?.id === 'scan-field');
      for (let i = 0; i < Math.ceil(n / 2); i++) {
        const sku = skus[i % 1000];
        await wedge(page, eanOf.get(sku)!);
        product.push(await feedbackAfterEnter(page, `1 × ${nameOf.get(sku)} to put away`));
        await wedge(page, world.pickBin);
        bin.push(await feedbackAfterEnter(page, `Received 1 × ${nameOf.get(sku)} into ${world.pickBin}`));
      }
      return { product, bin, all: [...product, ...bin] };
    };

    // A burst: one line of 20 units, its bin, then 20 product scans started 30 ms apart.
    const burst = async () => {
      const [sku] = take(1);
      const reference = `SO-BURST-${randomUUID().slice(0, 6).toUpperCase()}`;
      await allocateOrder(conn.db, { reference, channel: 'web', lines: [{ sku, qty: 20 }] }, { actor });
      await page.goto(`${app!.appUrl}/picking`);
      await page.waitForFunction(() => document.activeElement?.id === 'scan-field');
      await wedge(page, reference);
      await feedbackAfterEnter(page, `Picking ${reference}`);
      await wedge(page, world.pickBin);
      await feedbackAfterEnter(page, 'confirmed');
      const t0 = performance.now();
      for (let i = 0; i < 20; i++) {
        await sleep(Math.max(0, t0 + i * 30 - performance.now()));
        await wedge(page, eanOf.get(sku)!);
      }
      await feedbackAfterEnter(page, `Picked 20 × ${nameOf.get(sku)}`);
      const texts = (await page.evaluate(() => (window as unknown as { __fb: { text: string }[] }).__fb.map((f) => f.text))).slice(-25);
      const counts = texts.map((t) => /(\d+) of 20 ×/.exec(t)?.[1]).filter(Boolean).map(Number);
      const errors = texts.filter((t) => /Problem|Wrong|at most|No answer/.test(t));
      const [line] = await conn.sql`SELECT picked_qty FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.reference = ${reference}`;
      const inOrder = counts.every((c, i) => i === 0 || c > counts[i - 1]);
      return { ok: line.picked_qty === 20 && errors.length === 0 && inOrder, picked: line.picked_qty as number, errors: errors.length, inOrder };
    };

    // REST clients taking and releasing one-unit holds at a steady rate, on products the floor does not touch.
    const restLoad = (rate: number) => {
      const http = httpClient(app!.appUrl, CLIENTS);
      const pool = skus.slice(skus.length - 1000);
      const auth = { authorization: `Bearer ${key.secret}` };
      let stop = false;
      let holds = 0;
      let failed = 0;
      const started = performance.now();
      const worker = async (w: number) => {
        for (let i = 0; !stop; i++) {
          // Paced: client w's i-th hold is due at its slot of the common rate.
          await sleep(Math.max(0, started + ((i * CLIENTS + w) * 1000) / rate - performance.now()));
          const res = await http.request('POST', '/api/v1/reservations', { ...auth, 'idempotency-key': randomUUID() }, JSON.stringify({ sku: pool[(i * CLIENTS + w) % pool.length], qty: 1 }));
          if (res.status !== 201) {
            failed++;
            continue;
          }
          holds++;
          const { id } = JSON.parse(res.body) as { id: string };
          await http.request('DELETE', `/api/v1/reservations/${id}`, { ...auth, 'idempotency-key': randomUUID() });
        }
      };
      const loops = Array.from({ length: CLIENTS }, (_, w) => worker(w));
      return async () => {
        stop = true;
        await Promise.all(loops);
        http.close();
        return { perSecond: holds / ((performance.now() - started) / 1000), failed };
      };
    };

    // Warm the pages and the server's code paths once, untimed.
    await stockScans(5);
    await pickScans(10);
    await receiveScans(4);

    const runs: { label: string; load: number; stock: number[]; bin: number[]; pick: number[]; recvProduct: number[]; recvBin: number[]; rest?: { perSecond: number; failed: number } }[] = [];
    for (const loaded of [false, true]) {
      const label = loaded ? `REST holds at ${HOLDS}/s` : 'quiet';
      log(`${label}: ${SCANS} stock scans, ${SCANS} picking scans, ${SCANS} receiving scans…`);
      const stopLoad = loaded ? restLoad(HOLDS) : null;
      if (loaded) await sleep(2000);
      const stock = await stockScans(SCANS);
      const p = await pickScans(SCANS);
      const r = await receiveScans(SCANS);
      const rest = stopLoad ? await stopLoad() : undefined;
      runs.push({ label, load: loadavg()[0], stock, bin: p.bin, pick: p.pick, recvProduct: r.product, recvBin: r.bin, rest });
    }
    log('burst: 20 scans 30 ms apart…');
    const b = await burst();

    console.log('');
    console.log(`Scenario 7: floor speed, scan (Enter) to feedback on screen, real Chromium; load ${loadBefore[0]} → ${loadavg()[0]}`);
    const rowsOut: string[][] = [];
    for (const r of runs) {
      const all = [...r.stock, ...r.bin, ...r.pick, ...r.recvProduct, ...r.recvBin];
      for (const [what, ms] of [
        ['stock search: product shown', r.stock],
        ['picking: bin confirmed', r.bin],
        ['picking: line picked (saved)', r.pick],
        ['receiving: product to put away', r.recvProduct],
        ['receiving: received into the bin (saved)', r.recvBin],
        ['all scans', all],
      ] as const) {
        const s = percentiles([...ms]);
        rowsOut.push([r.label, what, String(s.n), fmt(s.p50, 0), fmt(s.p95, 0), fmt(s.max, 0), r.load.toFixed(1)]);
      }
    }
    printTable(['app', 'scan → feedback', 'scans', 'p50 ms', 'p95 ms', 'max ms', 'load'], rowsOut, 2);
    const loadedRest = runs[1].rest!;
    console.log(`REST load: ${loadedRest.perSecond.toFixed(1)} holds/s (+ as many releases), ${loadedRest.failed} refused`);
    console.log(`burst of 20 scans 30 ms apart: ${b.picked}/20 picked, ${b.errors} refusals, in order: ${b.inOrder ? 'yes' : 'no'}`);
    const lines: ResultLine[] = runs.flatMap((r) => {
      const s = percentiles([...r.stock, ...r.bin, ...r.pick, ...r.recvProduct, ...r.recvBin]);
      const screens = { stock: percentiles(r.stock), bin: percentiles(r.bin), pick: percentiles(r.pick), receiveProduct: percentiles(r.recvProduct), receiveBin: percentiles(r.recvBin) };
      return [
        { label: `scan to feedback p95, ${r.label}`, unit: 'ms', value: s.p95, target: { kind: 'ms_at_most' as const, value: 100 }, extra: { ...screens, all: s, load: r.load, rest: r.rest } },
        { label: `stock search p95, ${r.label}`, unit: 'ms', value: screens.stock.p95, target: { kind: 'ms_at_most' as const, value: 100 } },
        { label: `picking p95, ${r.label}`, unit: 'ms', value: percentiles([...r.bin, ...r.pick]).p95, target: { kind: 'ms_at_most' as const, value: 100 } },
        { label: `receiving p95, ${r.label}`, unit: 'ms', value: percentiles([...r.recvProduct, ...r.recvBin]).p95, target: { kind: 'ms_at_most' as const, value: 100 } },
      ];
    });
    lines.push({ label: 'burst of 20 scans 30 ms apart, all counted in order', unit: 'scans', value: b.ok ? 20 : b.picked, target: { kind: 'equals', value: 20 } });
    await report({ scenario: 'floor', title: '7. Floor speed', settings: { scans: SCANS, holdsPerSecond: HOLDS, clients: CLIENTS }, lines, notes: [`REST load reached ${loadedRest.perSecond.toFixed(1)} holds/s`] });
  } finally {
    await browser.close();
    if (app) await app.stop();
  }
});
