// The demo storefront on an origin of its own, embedding the availability badge the way a shop would: live through
// the sidecar's /storefront socket, falling back to the REST endpoint, and nothing for a channel it may not read.
import { randomUUID } from 'node:crypto';
import { createApiKey } from '@/server/auth/api-keys';
import { core, expect, makeProduct, signInAs } from './dashboard-fixtures';
import { test } from '@playwright/test';

const shop = () => {
  const url = process.env.E2E_STOREFRONT_URL;
  if (!url) throw new Error('E2E_STOREFRONT_URL is set by npm test for the end-to-end run');
  return url;
};
const badge = (page: import('@playwright/test').Page, sku: string) => page.locator(`onhand-availability[sku="${sku}"]`);

test('a badge follows the warehouse live: Only 1 left, Out of stock after an order, back after a receipt', async ({ page, request, baseURL }) => {
  const c = core();
  try {
    const p = await makeProduct(c, 'SHOP', { 'P-01-01': 1 });
    const key = await createApiKey(c.db, { name: `e2e-shop-${randomUUID().slice(0, 8)}`, scopes: ['orders:write', 'stock:write'] }, null);
    await page.goto(`${shop()}/?sku=${p.sku}&sku=NOT-CARRIED-1`);
    expect(new URL(page.url()).origin).not.toBe(new URL(baseURL!).origin);

    const mine = badge(page, p.sku);
    await expect(mine.getByRole('status')).toHaveText('Only 1 left');
    await expect(mine).toHaveAttribute('state', 'low_stock');
    const card = page.getByRole('listitem').filter({ has: mine });
    await expect(card.getByRole('button', { name: 'Add to cart' })).toBeEnabled();
    await expect(badge(page, 'NOT-CARRIED-1').getByRole('status')).toHaveText('Unavailable');

    // A storefront backend takes the last unit for an order: every open page hears it, no reload.
    const auth = { Authorization: `Bearer ${key.secret}` };
    const order = await request.post('/api/v1/orders', {
      headers: { ...auth, 'Idempotency-Key': randomUUID() },
      data: { reference: `SO-SHOP-${randomUUID().slice(0, 8)}`, lines: [{ sku: p.sku, qty: 1 }] },
    });
    expect(order.status(), await order.text()).toBe(201);
    await expect(mine.getByRole('status')).toHaveText('Out of stock');
    await expect(mine).toHaveAttribute('state', 'out_of_stock');
    await expect(card.getByRole('button', { name: 'Add to cart' })).toBeDisabled();

    const receipt = await request.post('/api/v1/movements', {
      headers: { ...auth, 'Idempotency-Key': randomUUID() },
      data: { kind: 'receipt', sku: p.sku, warehouse: 'MAIN', location: 'P-01-01', qty: 12 },
    });
    expect(receipt.status(), await receipt.text()).toBe(201);
    await expect(mine.getByRole('status')).toHaveText('In stock');
    await expect(card.getByRole('button', { name: 'Add to cart' })).toBeEnabled();
  } finally {
    await c.close();
  }
});

test('a cart hold takes the last unit, and gives it back by itself when it expires', async ({ page, request }) => {
  const c = core();
  try {
    const p = await makeProduct(c, 'CART', { 'P-01-03': 1 });
    const key = await createApiKey(c.db, { name: `e2e-cart-${randomUUID().slice(0, 8)}`, scopes: ['reservations:write'] }, null);
    await page.goto(`${shop()}/?sku=${p.sku}`);
    const mine = badge(page, p.sku);
    await expect(mine.getByRole('status')).toHaveText('Only 1 left');

    // A shopper puts the last unit in a cart (a 2-second hold) and walks away.
    const hold = await request.post('/api/v1/reservations', {
      headers: { Authorization: `Bearer ${key.secret}`, 'Idempotency-Key': randomUUID() },
      data: { sku: p.sku, qty: 1, ttlSeconds: 2, reference: 'cart-abandoned' },
    });
    expect(hold.status(), await hold.text()).toBe(201);
    await expect(mine.getByRole('status')).toHaveText('Out of stock');
    // The app's sweeper (every 5 s by default) releases it through the ledger; the badge hears it live.
    await expect(mine.getByRole('status')).toHaveText('Only 1 left', { timeout: 20_000 });
    const [row] = await c.sql`SELECT status FROM reservations WHERE hold_id = ${(await hold.json()).id}`;
    expect(row.status).toBe('expired');
  } finally {
    await c.close();
  }
});

test('without a socket the badge reads the REST endpoint; a channel that does not list the shop shows Unavailable', async ({ page }) => {
  const c = core();
  try {
    const p = await makeProduct(c, 'REST', { 'P-01-02': 3 });
    // The sidecar follows the receipt through its feed, a moment behind the commit: the test is about the badge.
    const realtime = process.env.E2E_REALTIME_URL!;
    await expect
      .poll(async () => (await (await fetch(`${realtime}/api/v1/availability?sku=${p.sku}&channel=demo`)).json()).items?.[0]?.available)
      .toBe(3);
    // A network that drops WebSockets: the badge must still tell the truth, from GET /api/v1/availability.
    await page.routeWebSocket(/socket\.io/, (ws) => ws.close());
    const polled = page.waitForResponse((r) => r.url().includes('/api/v1/availability') && r.status() === 200);
    await page.goto(`${shop()}/?sku=${p.sku}`);
    await polled;
    await expect(badge(page, p.sku).getByRole('status')).toHaveText('Only 3 left');

    // The default channel lists no origin: this page may neither subscribe to it nor read it over CORS.
    const other = await page.context().newPage();
    await other.goto(`${shop()}/?sku=${p.sku}&channel=default`);
    await expect(badge(other, p.sku).getByRole('status')).toHaveText('Unavailable');
  } finally {
    await c.close();
  }
});

test('the demo storefront shows every state; a screenshot for docs/storefront.md', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(shop());
  const states = page.locator('onhand-availability');
  await expect(states.first()).not.toHaveAttribute('state', 'loading');
  // Out of stock depends on the seed's luck; the live test above shows it on a product of its own.
  for (const text of ['In stock', 'Unavailable']) await expect(page.getByRole('status').filter({ hasText: text }).first()).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: /^Only \d+ left$/ }).first()).toBeVisible();
  await page.screenshot({ path: 'e2e/screenshots/storefront.png', fullPage: true });
});

test('an admin adds a storefront channel: a bad origin is named, the fixed form saves it, the sidecar serves it', async ({ page }) => {
  const key = `e2e-${randomUUID().slice(0, 6)}`;
  await signInAs(page, 'admin');
  await page.goto('/settings/channels');
  const form = page.getByRole('form', { name: 'New channel' });
  await form.getByLabel('Key').fill(key);
  await form.getByLabel('Name').fill('Outlet shop');
  await form.getByLabel('“Only N left” at or under').fill('3');
  await form.getByLabel('MAIN').check();
  await form.getByLabel('Storefront origins allowed to read it').fill('https://outlet.example/shop');
  await form.getByRole('button', { name: 'Create channel' }).click();
  await expect(form.getByText('https://outlet.example/shop is not an origin')).toBeVisible();

  await form.getByLabel('Storefront origins allowed to read it').fill('https://outlet.example');
  await form.getByRole('button', { name: 'Create channel' }).click();
  await expect(form.getByRole('status')).toContainText(`Channel “${key}” created.`);
  const section = page.getByRole('region', { name: new RegExp(key) });
  await expect(section.getByLabel('Storefront origins allowed to read it')).toHaveValue('https://outlet.example');
  await section.getByText('Embed code').click();
  await expect(section.locator('pre')).toContainText(`channel="${key}"`);

  // The sidecar follows the new channel at once: its origin gets a CORS grant.
  const realtime = process.env.E2E_REALTIME_URL!;
  await expect
    .poll(async () => (await fetch(`${realtime}/api/v1/availability?sku=X&channel=${key}`, { headers: { Origin: 'https://outlet.example' } })).headers.get('access-control-allow-origin'))
    .toBe('https://outlet.example');
});
