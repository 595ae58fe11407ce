import { test, type Page } from '@playwright/test';
import { adjust } from '@/server/inventory';
import { gtinCheckDigit } from '@/lib/scan';
import { actor, core, expect, signInAs, slow, feedback, makeProduct } from './dashboard-fixtures';

slow();

const c = core();

// A scan typed before the page is interactive lands half in the bare field and half in the scanner queue: wait
// until the page has hydrated (its live connection is up, which only the client side makes).
async function scannerReady(page: Page) {
  await expect(page.getByTestId('live-status').first()).toHaveAttribute('data-status', 'live');
  await expect(page.getByLabel('Search by SKU, name or barcode')).toBeFocused();
}

test('stock list: search, filters and sorting on the server; a screenshot for the README', async ({ page }) => {
  const a = await makeProduct(c, 'STKL', { 'P-02-06': 7, 'A-03-05': 20 });
  await page.setViewportSize({ width: 1366, height: 900 });
  await signInAs(page, 'staff');
  await page.goto('/stock');
  const table = page.getByRole('table');
  await expect(table.getByRole('row')).toHaveCount(51);
  await expect(page.getByText(/products · page 1 of \d+/)).toBeVisible();
  await page.screenshot({ path: 'e2e/screenshots/stock.png' });

  const search = page.getByLabel('Search by SKU, name or barcode');
  await expect(search).toBeFocused();
  await search.fill(a.name.split(' ').slice(1).join(' ').toLowerCase());
  const row = table.getByRole('row', { name: new RegExp(a.sku) });
  await expect(row.getByRole('cell')).toHaveText([a.sku, a.name, 'P-02-06 +1', '27', '0', '27', '', '2', /In stock/, '—']);
  await expect(page).toHaveURL(/q=/);
  await expect(table.getByRole('row')).toHaveCount(2);

  await search.fill('');
  await page.getByLabel('Warehouse').selectOption('MAIN');
  await page.getByLabel('Bin', { exact: true }).selectOption('P-02-06');
  await page.getByLabel('Status').selectOption('in_stock');
  await expect(table.getByRole('row', { name: new RegExp(a.sku) })).toHaveCount(1);
  await expect(page).toHaveURL(/location=P-02-06/);

  const available = page.getByRole('columnheader', { name: /Available/ });
  await available.getByRole('button').click();
  await expect(available).toHaveAttribute('aria-sort', 'ascending');
  await available.getByRole('button').click();
  await expect(available).toHaveAttribute('aria-sort', 'descending');
  // The header turns before the server's answer arrives: wait for the rows to follow.
  await expect(async () => {
    const figures = (await table.locator('tbody tr td:nth-child(6)').allTextContents()).map(Number);
    expect(figures).toEqual([...figures].sort((x, y) => y - x));
  }).toPass();
});

test('a barcode scan in the search opens the product: levels, history paged by cursor, chart', async ({ page }) => {
  const a = await makeProduct(c, 'STKP', { 'P-02-06': 7, 'A-03-05': 20 });
  for (let i = 0; i < 27; i++) await adjust(c.db, { sku: a.sku, warehouse: 'MAIN', location: 'A-03-05', delta: 1, reason: 'found' }, { actor });
  await signInAs(page, 'staff');
  await page.goto('/stock');
  await scannerReady(page);
  await page.keyboard.type(a.ean);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(`/stock/${a.sku}`);
  await expect(page.getByRole('heading', { name: a.name })).toBeVisible();
  await expect(page.getByTestId('summary-on-hand')).toHaveText('54');

  const levels = page.getByRole('region', { name: 'Levels per location' });
  await expect(levels.locator('tr[data-location="MAIN:P-02-06"] td')).toHaveText(['MAIN', 'P-02-06', 'pick', '7', '0', '7', '1', '—', /\d/]);
  await expect(levels.locator('tr[data-location="MAIN:A-03-05"] td').nth(3)).toHaveText('47');
  await expect(levels.locator('tr[data-location="MAIN:A-03-05"] td').nth(6)).toHaveText('28');
  await expect(page.getByRole('img', { name: /On hand went from 0 .* to 54 now/ })).toBeVisible();

  const history = page.getByRole('region', { name: 'Movement history' });
  await expect(history.locator('tbody tr')).toHaveCount(25);
  await history.getByRole('button', { name: 'Load older movements' }).click();
  await expect(history.locator('tbody tr')).toHaveCount(29);
  await expect(history.getByText('Start of history')).toBeVisible();
});

test('a bin scan in the search lists its contents; an unknown barcode is refused clearly', async ({ page }) => {
  const a = await makeProduct(c, 'STKB', { 'P-01-06': 3 });
  await signInAs(page, 'staff');
  await page.goto('/stock');
  const search = page.getByLabel('Search by SKU, name or barcode');
  await scannerReady(page);
  await page.keyboard.type('P-01-06');
  await page.keyboard.press('Enter');
  await expect(feedback(page)).toContainText('Showing what MAIN P-01-06 holds.');
  await expect(page).toHaveURL(/warehouse=MAIN&location=P-01-06|location=P-01-06/);
  await expect(page.getByRole('table').getByRole('row', { name: new RegExp(a.sku) })).toBeVisible();

  const unknown = `2999999${String(Date.now()).slice(-5)}`;
  const code = unknown + gtinCheckDigit(unknown);
  await page.keyboard.type(code);
  await page.keyboard.press('Enter');
  await expect(feedback(page)).toContainText(`No product or bin matches ${code}`);
  await expect(search).toHaveValue('');
  await expect(search).toBeFocused();
});
