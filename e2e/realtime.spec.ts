// Live figures across browsers: a change committed anywhere shows on every open screen without a reload, and
// a screen that lost its connection says so, then catches up.
import { randomBytes } from 'node:crypto';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { connect } from '@/db/client';
import { products } from '@/db/schema';
import { allocateOrder, pick, receive, systemActor } from '@/server/inventory';
import { signIn, users } from './support';

// Each test drives two browsers at once: run this file's tests one after another, with room to breathe.
test.describe.configure({ mode: 'default', timeout: 60_000 });

const actor = { actor: systemActor('e2e-realtime') };
const BIN = 'P-02-06';

function database() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is set by npm test for the end-to-end run');
  return connect(url, { max: 2 });
}

// A product of this test's own, with 20 units in one MAIN pick bin: no other test touches its figures.
async function stockedProduct(db: ReturnType<typeof database>['db']) {
  const sku = `RT-${randomBytes(3).toString('hex').toUpperCase()}`;
  await db.insert(products).values({ sku, name: `Realtime mug ${sku}`, lowStockThreshold: 5 });
  await receive(db, { sku, warehouse: 'MAIN', location: BIN, qty: 20 }, actor);
  return sku;
}

async function openAs(browser: Browser, role: keyof typeof users, path: string): Promise<Page> {
  const page = await newPage(browser);
  await signIn(page, role);
  await page.goto(path);
  await expect(page.getByTestId('live-status')).toHaveAttribute('data-status', 'live', { timeout: 15_000 });
  // Set once; a reload would lose it.
  await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
  return page;
}

// Every context a test opens, closed after it.
const contexts: BrowserContext[] = [];
async function newPage(browser: Browser) {
  const context = await browser.newContext();
  contexts.push(context);
  return context.newPage();
}
test.afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

const sameDocument = (page: Page) => page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument === true);
const binRow = (page: Page, location: string) => page.locator(`tr[data-location="MAIN:${location}"]`);
const listRow = (page: Page, sku: string) => page.getByRole('row').filter({ has: page.getByRole('link', { name: sku, exact: true }) });

test('an allocation and a pick committed elsewhere show on the product page and the stock list without a reload', async ({ browser }) => {
  const conn = database();
  try {
    const sku = await stockedProduct(conn.db);
    const [product, list] = await Promise.all([openAs(browser, 'staff', `/stock/${sku}`), openAs(browser, 'manager', `/stock?q=${sku}`)]);
    await expect(product.getByTestId('summary-on-hand')).toHaveText('20');
    await expect(listRow(list, sku).getByRole('cell').nth(3)).toHaveText('20');

    const order = await allocateOrder(conn.db, { reference: `RT-${sku}`, channel: 'e2e', lines: [{ sku, qty: 2 }] }, actor);
    await expect(listRow(list, sku).getByRole('cell').nth(4)).toHaveText('2');
    await expect(listRow(list, sku).getByRole('cell').nth(5)).toHaveText('18');
    await expect(product.getByTestId('summary-reserved')).toHaveText('2');

    await pick(conn.db, { orderId: order.id, sku, warehouse: 'MAIN', location: BIN, qty: 2 }, actor);
    await expect(binRow(product, BIN).getByRole('cell').nth(3)).toHaveText('18');
    await expect(binRow(product, 'SHIP-01').getByRole('cell').nth(3)).toHaveText('2');
    await expect(product.getByTestId('summary-available-to-sell')).toHaveText('18');
    expect(await sameDocument(product)).toBe(true);
    expect(await sameDocument(list)).toBe(true);
  } finally {
    await conn.close();
  }
});

test('a pick on the picking screen in one browser shows in the other without a reload', async ({ browser }) => {
  const conn = database();
  try {
    const sku = await stockedProduct(conn.db);
    const order = await allocateOrder(conn.db, { reference: `RT-UI-${sku}`, channel: 'e2e', lines: [{ sku, qty: 1 }] }, actor);
    const [watcher, picker] = await Promise.all([openAs(browser, 'manager', `/stock/${sku}`), openAs(browser, 'staff', '/picking')]);
    await expect(binRow(watcher, BIN).getByRole('cell').nth(3)).toHaveText('20');

    await picker.getByLabel('Warehouse').selectOption('MAIN');
    await picker.getByLabel('Order').selectOption(order.id);
    const scan = picker.getByLabel('Scan', { exact: true });
    await expect(picker.getByText(`Scan bin ${BIN}`)).toBeVisible();
    await scan.fill(BIN);
    await scan.press('Enter');
    await expect(picker.getByText(`Scan ${sku}`)).toBeVisible();
    await scan.fill(sku);
    await scan.press('Enter');
    await expect(picker.getByText(/Picked 1 ×/)).toBeVisible();

    await expect(binRow(watcher, BIN).getByRole('cell').nth(3)).toHaveText('19');
    await expect(binRow(watcher, 'SHIP-01').getByRole('cell').nth(3)).toHaveText('1');
    expect(await sameDocument(watcher)).toBe(true);
  } finally {
    await conn.close();
  }
});

test('a dropped connection shows as reconnecting, and what changed meanwhile appears once live again', async ({ browser }) => {
  test.slow();
  const conn = database();
  try {
    const sku = await stockedProduct(conn.db);
    const page = await newPage(browser);
    // Stands between the page and the sidecar: while `cut`, every socket is closed as soon as it opens.
    let cut = false;
    const open: { close: () => Promise<void> }[] = [];
    await page.routeWebSocket(/\/socket\.io\//, (ws) => {
      if (cut) return void ws.close();
      ws.connectToServer();
      open.push(ws);
    });
    await signIn(page, 'staff');
    await page.goto(`/stock/${sku}`);
    const status = page.getByTestId('live-status');
    await expect(status).toHaveAttribute('data-status', 'live');
    await expect(status).toContainText('Live');

    cut = true;
    await Promise.all(open.splice(0).map((ws) => ws.close()));
    await expect(status).toHaveAttribute('data-status', 'reconnecting');
    await expect(status).toContainText('Reconnecting');
    await receive(conn.db, { sku, warehouse: 'MAIN', location: BIN, qty: 5 }, actor);

    cut = false;
    // Socket.IO's reconnect backoff grew while every attempt was cut (up to 5 s, ±50%), and the machine is busy.
    await expect(status).toHaveAttribute('data-status', 'live', { timeout: 30_000 });
    await expect(page.getByTestId('summary-on-hand')).toHaveText('25');
  } finally {
    await conn.close();
  }
});
