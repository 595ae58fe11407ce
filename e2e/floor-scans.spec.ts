import { test, type Page } from '@playwright/test';
import { core, expect, signInAs, slow, feedback, level, makeOrder, makeProduct, movements, ready, scan } from './dashboard-fixtures';

slow();

const c = core();

// Holds the page's scripts (not its styles, which the streamed page waits for) back until `release()`: the
// server-rendered screen is painted but not hydrated, the moment a scanner's keys used to be lost in. (Routing also
// turns the HTTP cache off, so nothing slips through.)
async function holdHydration(page: Page) {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const scripts = (url: URL) => url.pathname.startsWith('/_next/static/') && url.pathname.endsWith('.js');
  await page.route(scripts, async (route) => {
    await gate;
    await route.continue();
  });
  // Released, the route lets every script through (unrouting would race the requests it still holds).
  return async () => release();
}

// Like a keyboard-wedge scanner: the code at ~2 ms a key, then Enter.
async function wedge(page: Page, code: string) {
  await page.keyboard.type(code, { delay: 2 });
  await page.keyboard.press('Enter');
}

test('a scan typed while the stock search is still loading opens the product, every time', async ({ page }) => {
  const a = await makeProduct(c, 'HYD', { 'A-01-03': 4 });
  await signInAs(page, 'staff');
  for (let attempt = 0; attempt < 3; attempt++) {
    const release = await holdHydration(page);
    await page.goto('/stock', { waitUntil: 'commit' });
    await expect(page.getByLabel('Search by SKU, name or barcode')).toBeVisible();
    await wedge(page, a.ean);
    await release();
    // Patience: the scan's lookup waits behind the whole app's scripts and, here, a busy shared machine.
    await expect(page).toHaveURL(new RegExp(`/stock/${a.sku}$`), { timeout: 40_000 });
    await expect(page.getByRole('heading', { name: a.name })).toBeVisible();
  }
});

test('scans typed on a floor screen before it is interactive are applied in order once it is', async ({ page }) => {
  const a = await makeProduct(c, 'HYDA', { 'A-02-02': 9 });
  await signInAs(page, 'manager');
  const release = await holdHydration(page);
  await page.goto('/adjust', { waitUntil: 'commit' });
  await expect(page.getByLabel('Scan', { exact: true })).toBeVisible();
  // Bin first, then the product: in the other order the product would be refused.
  await wedge(page, 'A-02-02');
  await wedge(page, a.ean);
  await release();
  await expect(feedback(page)).toContainText(`${a.name}: 9 on hand in A-02-02`, { timeout: 40_000 });
  await ready(page, /Enter the change and a reason/);
});

async function openOrder(page: Page, orderId: string) {
  await page.goto('/picking');
  await page.getByLabel('Warehouse').selectOption('MAIN');
  await page.getByLabel('Order').selectOption(orderId);
}

test('five scans made while a pick is still being saved are each applied once, in order', async ({ page }) => {
  const a = await makeProduct(c, 'PENA', { 'P-01-03': 5 });
  const b = await makeProduct(c, 'PENB', { 'P-01-04': 5 });
  const d = await makeProduct(c, 'PEND', { 'P-01-06': 5 });
  const order = await makeOrder(c, [
    { sku: a.sku, qty: 1 },
    { sku: b.sku, qty: 1 },
    { sku: d.sku, qty: 2 },
  ]);
  await signInAs(page, 'staff');
  await openOrder(page, order.id);
  await ready(page, 'Scan bin P-01-03');

  // The first pick's request is held for 1.5 s on its way to the server.
  let held = false;
  await page.route('**/picking', async (route) => {
    if (route.request().method() === 'POST' && !held) {
      held = true;
      await new Promise((r) => setTimeout(r, 1500));
    }
    await route.continue();
  });
  await wedge(page, 'P-01-03');
  await wedge(page, a.ean);
  for (const code of ['P-01-04', b.ean, 'P-01-06', d.ean, d.ean]) await wedge(page, code);
  expect(held).toBe(true);

  await expect(feedback(page)).toContainText(`${order.reference} is picked`);
  const lines = await c.sql`SELECT picked_qty FROM order_lines WHERE order_id = ${order.id} ORDER BY line_no`;
  expect(lines.map((l) => l.picked_qty)).toEqual([1, 1, 2]);
  for (const p of [a, b, d]) expect(await movements(c, p.sku, 'pick')).toHaveLength(1);
  expect(await level(c, d.sku, 'P-01-06')).toEqual({ onHand: 3, reserved: 0 });
});

test('a scan while the stock issue form is open is refused on screen, and scanning resumes after it', async ({ page }) => {
  const a = await makeProduct(c, 'DLG', { 'P-02-02': 5 });
  const order = await makeOrder(c, [{ sku: a.sku, qty: 1 }]);
  await signInAs(page, 'staff');
  await openOrder(page, order.id);
  await ready(page, 'Scan bin P-02-02');
  await page.getByRole('button', { name: 'Stock issue' }).click();
  await wedge(page, 'P-02-02');
  await expect(feedback(page)).toContainText('Finish or cancel the stock issue first.');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await ready(page, 'Scan bin P-02-02');
  await wedge(page, 'P-02-02');
  await wedge(page, a.ean);
  await expect(feedback(page)).toContainText(`${order.reference} is picked`);
  expect(await movements(c, a.sku, 'pick')).toHaveLength(1);
});

test('scans while the live connection is down are applied once, and the screen is live again after', async ({ page }) => {
  const a = await makeProduct(c, 'SOCK', { 'P-02-05': 6 });
  const order = await makeOrder(c, [{ sku: a.sku, qty: 2 }]);
  let cut = false;
  const open: { close: () => Promise<void> }[] = [];
  await page.routeWebSocket(/\/socket\.io\//, (ws) => {
    if (cut) return void ws.close();
    ws.connectToServer();
    open.push(ws);
  });
  await signInAs(page, 'staff');
  await openOrder(page, order.id);
  const status = page.getByTestId('live-status').first();
  await expect(status).toHaveAttribute('data-status', 'live');
  await ready(page, 'Scan bin P-02-05');

  cut = true;
  await Promise.all(open.splice(0).map((ws) => ws.close()));
  await expect(status).toHaveAttribute('data-status', 'reconnecting');
  await wedge(page, 'P-02-05');
  await wedge(page, a.ean);
  await wedge(page, a.ean);
  await expect(feedback(page)).toContainText(`${order.reference} is picked`);

  cut = false;
  await expect(status).toHaveAttribute('data-status', 'live', { timeout: 30_000 });
  expect(await movements(c, a.sku, 'pick')).toHaveLength(1);
  expect(await level(c, a.sku, 'P-02-05')).toEqual({ onHand: 4, reserved: 0 });
});
