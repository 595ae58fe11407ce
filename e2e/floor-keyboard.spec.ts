import { randomBytes } from 'node:crypto';
import { test, type Page } from '@playwright/test';
import { eq } from 'drizzle-orm';
import { locations, warehouses } from '@/db/schema';
import { reserve } from '@/server/inventory';
import { actor, core, expect, signInAs, slow, feedback, level, makeOrder, makeProduct, makePurchaseOrder, movements, ready, scan, scanField } from './dashboard-fixtures';

slow();

const c = core();

// Counts every real pointer press or click from here on: a flow "by scanner and keyboard alone" must leave it at 0.
async function countMouse(page: Page) {
  await page.evaluate(() => {
    const w = window as unknown as { __mouse: number };
    w.__mouse = 0;
    // A click that Enter or Space makes on a button is trusted too, but has detail 0; a pointer's has the click count.
    const count = (e: Event) => e.isTrusted && (e.type !== 'click' || (e as MouseEvent).detail > 0) && (w.__mouse += 1);
    for (const type of ['mousedown', 'click', 'pointerdown']) document.addEventListener(type, count, true);
  });
  return async () => page.evaluate(() => (window as unknown as { __mouse: number }).__mouse);
}

// A keyboard user's Tab, pressed until the control named `name` has focus.
async function tabTo(page: Page, name: string | RegExp) {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    const label = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      const field = el as HTMLInputElement | null;
      return el ? (el.getAttribute('aria-label') ?? field?.labels?.[0]?.innerText ?? el.innerText ?? '').trim() : '';
    });
    if (typeof name === 'string' ? label === name : name.test(label)) return;
  }
  throw new Error(`Tab never reached ${name}`);
}

test('a 10-line order is picked and shipped by scanner and keyboard alone', async ({ page }) => {
  const bins = ['P-01-01', 'P-01-02', 'P-01-03', 'P-01-04', 'P-01-05', 'P-01-06', 'P-02-02', 'P-02-03', 'P-02-04', 'P-02-05'];
  const items = [];
  for (const [i, bin] of bins.entries()) items.push({ bin, qty: 1 + (i % 3), p: await makeProduct(c, `KB${i}`, { [bin]: 10 }) });
  const order = await makeOrder(c, items.map((x) => ({ sku: x.p.sku, qty: x.qty })));
  const bySku = new Map(items.map((x) => [x.p.sku, x]));

  await signInAs(page, 'staff');
  await page.goto('/picking');
  const mouse = await countMouse(page);
  await ready(page, /./);
  // The pick slip's reference chooses the order.
  await scan(page, order.reference);
  await expect(feedback(page)).toContainText(`Picking ${order.reference}`);

  let bin = '';
  for (let n = 0; n < 10; n++) {
    // Read the card as the picker does, once it shows the next line (every line is in a bin of its own).
    await expect(page.getByTestId('task-bin')).not.toHaveText(bin);
    await ready(page, /^Scan bin /);
    bin = (await page.getByTestId('task-bin').textContent())!;
    await scan(page, bin);
    await ready(page, /^Scan E2E-KB/);
    const sku = (await page.locator('#scan-prompt').textContent())!.replace('Scan ', '');
    const item = bySku.get(sku)!;
    expect(item.bin).toBe(bin);
    for (let u = 0; u < item.qty; u++) await scan(page, item.p.ean);
    await expect(feedback(page)).toContainText(`Picked ${item.qty} × ${item.p.name} from ${bin}`);
  }
  await expect(feedback(page)).toContainText(`${order.reference} is picked`);

  await tabTo(page, `Ship ${order.reference}`);
  await page.keyboard.press('Enter');
  await expect(feedback(page)).toContainText(`Shipped ${order.reference}: 19 units`);
  // Focus is back in the scan field: the next slip can be scanned at once.
  await expect(page.getByLabel('Scan', { exact: true })).toBeFocused();

  expect(await mouse()).toBe(0);
  const [o] = await c.sql`SELECT status FROM orders WHERE id = ${order.id}`;
  expect(o.status).toBe('shipped');
  for (const x of items) expect(await level(c, x.p.sku, x.bin)).toEqual({ onHand: 10 - x.qty, reserved: 0 });
});

test('a bin is counted by scanner and keyboard alone', async ({ page }) => {
  const a = await makeProduct(c, 'KBC', { 'A-01-05': 3 });
  await signInAs(page, 'staff');
  await page.goto('/counts');
  const mouse = await countMouse(page);
  await ready(page, 'Scan a bin to count');
  await scan(page, 'A-01-05');
  for (let u = 0; u < 3; u++) await scan(page, a.ean);
  await ready(page, `Scan ${a.sku} again, or submit the count`);
  await tabTo(page, 'Submit count');
  await page.keyboard.press('Enter');
  await expect(feedback(page)).toContainText(`Counted 3 × ${a.name} in A-01-05: matches the record.`);
  await expect(page.getByLabel('Scan', { exact: true })).toBeFocused();
  expect(await mouse()).toBe(0);
  expect(await movements(c, a.sku, 'count')).toHaveLength(1);
});

test('an adjustment is made by scanner and keyboard alone', async ({ page }) => {
  const a = await makeProduct(c, 'KBA', { 'A-02-03': 12 });
  await signInAs(page, 'manager');
  await page.goto('/adjust');
  const mouse = await countMouse(page);
  await ready(page, 'Scan a bin');
  await scan(page, 'A-02-03');
  await scan(page, a.ean);
  await expect(feedback(page)).toContainText(`${a.name}: 12 on hand in A-02-03`);
  await tabTo(page, 'Change (+ adds, − removes)');
  await page.keyboard.type('-2');
  await tabTo(page, 'Reason');
  // A closed select takes a typed letter as the option starting with it.
  await page.keyboard.type('d');
  await expect(page.getByLabel('Reason')).toHaveValue('damaged');
  await tabTo(page, 'Confirm adjustment');
  await page.keyboard.press('Enter');
  await expect(feedback(page)).toContainText(`Adjusted ${a.sku} in A-02-03 by −2 (damaged): on hand is now 10.`);
  expect(await mouse()).toBe(0);
  expect(await level(c, a.sku, 'A-02-03')).toEqual({ onHand: 10, reserved: 0 });
});

test('a transfer between bins is made by scanner alone', async ({ page }) => {
  const a = await makeProduct(c, 'KBT', { 'A-03-02': 6 });
  await signInAs(page, 'staff');
  await page.goto('/transfers');
  const mouse = await countMouse(page);
  await ready(page, 'Scan the source bin');
  await scan(page, 'A-03-02');
  await expect(feedback(page)).toContainText('Moving from MAIN A-03-02');
  await scan(page, a.ean);
  await scan(page, a.ean);
  await ready(page, /^Scan the destination/);
  // The suggested bin, as the prompt names it (or any bin when it suggests none).
  const dest = /\(([A-Z0-9-]+)\)/.exec((await page.locator('#scan-prompt').textContent())!)?.[1] ?? 'P-01-05';
  await scan(page, dest);
  await expect(feedback(page)).toContainText(`Moved 2 × ${a.name} from A-03-02 to MAIN ${dest}`);
  expect(await mouse()).toBe(0);
  expect(await level(c, a.sku, 'A-03-02')).toEqual({ onHand: 4, reserved: 0 });
  expect(await level(c, a.sku, dest)).toEqual({ onHand: 2, reserved: 0 });
});

test('a purchase order is received in full by scanner and keyboard alone', async ({ page }) => {
  const a = await makeProduct(c, 'KBR');
  const b = await makeProduct(c, 'KBS');
  const po = await makePurchaseOrder(c, [
    { sku: a.sku, qty: 3 },
    { sku: b.sku, qty: 2 },
  ]);
  await signInAs(page, 'staff');
  await page.goto('/receiving');
  const mouse = await countMouse(page);
  await ready(page, 'Scan a purchase order');
  // The delivery note's purchase order barcode opens the receipt.
  await scan(page, po);
  await expect(page.getByRole('heading', { name: `Receive ${po}` })).toBeVisible();
  await ready(page, 'Scan a product');

  for (let u = 0; u < 3; u++) await scan(page, a.ean);
  await ready(page, `Scan the put-away bin for 3 × ${a.sku}`);
  await scan(page, 'A-01-04');
  await expect(feedback(page)).toContainText(`Received 3 × ${a.name} into A-01-04 (${po}: 3 of 3, complete)`);
  await ready(page, 'Scan a product');
  // One scan and the quantity typed on the numpad's field, then the receiving bin's button, by Tab and Enter.
  await scan(page, b.ean);
  await ready(page, `Scan the put-away bin for 1 × ${b.sku}`);
  await tabTo(page, 'Quantity receiving');
  await page.keyboard.press('Backspace');
  await page.keyboard.type('2');
  await expect(page.locator('#scan-prompt')).toHaveText(`Scan the put-away bin for 2 × ${b.sku}`);
  await tabTo(page, 'Put away in RECV-01');
  await page.keyboard.press('Enter');
  await expect(feedback(page)).toContainText(`Received 2 × ${b.name} into RECV-01 (${po}: 2 of 2, complete)`);
  await expect(scanField(page)).toBeFocused();

  // Nothing short: Finish receipt ends it at once, back on the start screen, ready for the next delivery.
  await tabTo(page, 'Finish receipt');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/receiving$/);
  await ready(page, 'Scan a purchase order');

  expect(await mouse()).toBe(0);
  const [row] = await c.sql`SELECT status FROM purchase_orders WHERE reference = ${po}`;
  expect(row.status).toBe('received');
  expect(await level(c, a.sku, 'A-01-04')).toEqual({ onHand: 3, reserved: 0 });
  expect(await level(c, b.sku, 'RECV-01')).toEqual({ onHand: 2, reserved: 0 });
  for (const [p, qty, bin] of [[a, 3, 'A-01-04'], [b, 2, 'RECV-01']] as const) {
    expect(await movements(c, p.sku)).toMatchObject([
      { kind: 'receipt', on_hand_delta: qty, on_hand_after: qty, reference_type: 'purchase_order', reference_id: po, location: bin, actor: 'user:staff@onhand.test' },
    ]);
  }
});

// A bin of this test's own in MAIN: closing a count or moving everything acts on all a bin holds, so no other test's
// (or the demo's) stock may share it.
async function makeBin(label: string) {
  const code = `${label}-${randomBytes(3).toString('hex').toUpperCase()}`;
  const [main] = await c.db.select({ id: warehouses.id }).from(warehouses).where(eq(warehouses.code, 'MAIN'));
  await c.db.insert(locations).values({ warehouseId: main.id, code, kind: 'storage', sellable: true });
  return code;
}

test('a bin count is closed by scanner alone: what was not scanned is set to 0 after a confirmation', async ({ page }) => {
  const bin = await makeBin('CB');
  const found = await makeProduct(c, 'KBZ', { [bin]: 3 });
  const missing = [await makeProduct(c, 'KBY', { [bin]: 4 }), await makeProduct(c, 'KBX', { [bin]: 2 })];
  await signInAs(page, 'staff');
  await page.goto('/counts');
  const mouse = await countMouse(page);
  await ready(page, 'Scan a bin to count');
  await scan(page, bin);
  await expect(feedback(page)).toContainText(`Counting ${bin}. Scan a product.`);
  for (let u = 0; u < 3; u++) await scan(page, found.ean);
  await ready(page, `Scan ${found.sku} again, or submit the count`);
  await tabTo(page, 'Submit count');
  await page.keyboard.press('Enter');
  await expect(feedback(page)).toContainText(`Counted 3 × ${found.name} in ${bin}: matches the record.`);

  // The bin's label again closes the count: the products not scanned, and the question.
  await ready(page, `Scan a product in ${bin}, or the bin again to close it`);
  await scan(page, bin);
  await expect(page.getByTestId('close-question')).toHaveText('These 2 products were not scanned: set them to 0?');
  const list = page.getByRole('region', { name: `Not scanned in ${bin}` });
  for (const m of missing) await expect(list).toContainText(m.sku);
  await expect(list).not.toContainText(found.sku);
  await ready(page, `Scan ${bin} again to set the unscanned products to 0`);
  await scan(page, bin);
  await expect(feedback(page)).toContainText(`Closed the count of ${bin}: 2 unscanned products set to 0.`);
  await expect(page.getByRole('region', { name: 'Counted this session' })).toContainText('▼ −4 fewer');
  await ready(page, 'Scan a bin to count');
  expect(await mouse()).toBe(0);

  expect(await level(c, found.sku, bin)).toEqual({ onHand: 3, reserved: 0 });
  for (const [n, m] of missing.entries()) {
    expect(await level(c, m.sku, bin)).toEqual({ onHand: 0, reserved: 0 });
    expect(await movements(c, m.sku, 'count')).toMatchObject([{ on_hand_delta: -[4, 2][n], on_hand_after: 0, reason_code: 'cycle_count', actor: 'user:staff@onhand.test' }]);
  }
});

test('everything free in a bin is moved to another by keyboard and scanner alone; held units stay', async ({ page }) => {
  const [from, to] = [await makeBin('MS'), await makeBin('MD')];
  const a = await makeProduct(c, 'KBM', { [from]: 5 });
  const b = await makeProduct(c, 'KBH', { [from]: 3 });
  await reserve(c.db, { sku: b.sku, qty: 2, warehouse: 'MAIN' }, { actor });
  await signInAs(page, 'staff');
  await page.goto('/transfers');
  const mouse = await countMouse(page);
  await ready(page, 'Scan the source bin');
  await scan(page, from);
  await expect(feedback(page)).toContainText(`Moving from MAIN ${from}`);
  await expect(page.getByRole('region', { name: `In MAIN ${from}` })).toContainText(b.sku);
  await tabTo(page, 'Move everything');
  await page.keyboard.press('Enter');
  await ready(page, 'Scan the destination for everything');
  await expect(page.getByTestId('move-all-summary')).toHaveText(`6 units of 2 products will move. 2 held units (reserved for carts and orders) stay in ${from}.`);
  await scan(page, to);
  await expect(feedback(page)).toContainText(`Move everything free in ${from} to MAIN ${to}? Scan ${to} again to confirm.`);
  await scan(page, to);
  await expect(feedback(page)).toContainText(`Moved everything free from ${from} to MAIN ${to}: 6 units of 2 products. 2 held units stay in ${from}.`);
  expect(await mouse()).toBe(0);

  expect(await level(c, a.sku, from)).toEqual({ onHand: 0, reserved: 0 });
  expect(await level(c, a.sku, to)).toEqual({ onHand: 5, reserved: 0 });
  expect(await level(c, b.sku, from)).toEqual({ onHand: 2, reserved: 2 });
  expect(await level(c, b.sku, to)).toEqual({ onHand: 1, reserved: 0 });
  const moves = (await movements(c, b.sku)).filter((m) => m.kind.startsWith('transfer'));
  expect(moves.map((m) => [m.kind, m.location, m.on_hand_delta])).toEqual([
    ['transfer_out', from, -1],
    ['transfer_in', to, 1],
  ]);
});
