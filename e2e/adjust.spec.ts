import { test, type Page } from '@playwright/test';
import { core, expect, signInAs, slow, feedback, level, makeProduct, movements, ready, scan } from './dashboard-fixtures';

slow();

const c = core();

async function startAdjust(page: Page, bin: string, ean: string) {
  await page.goto('/adjust');
  await page.getByLabel('Warehouse').selectOption('MAIN');
  await ready(page, 'Scan a bin');
  await scan(page, bin);
  await scan(page, ean);
  await ready(page, 'Enter the change and a reason');
}

test('a manager adjusts with a reason code: the figures shown, the history and the database agree', async ({ page }) => {
  const a = await makeProduct(c, 'ADJ', { 'A-02-01': 12 });
  await signInAs(page, 'manager');
  await startAdjust(page, 'A-02-01', a.ean);
  await expect(feedback(page)).toContainText(`${a.name}: 12 on hand in A-02-01`);

  await page.getByLabel('Change (+ adds, − removes)', { exact: true }).fill('-2');
  await expect(page.getByTestId('adjust-preview')).toContainText('12 → 10(−2)');
  await page.getByRole('button', { name: 'Confirm adjustment' }).click();
  await expect(page.locator('#f-reason-error')).toHaveText('Choose a reason');
  expect(await level(c, a.sku, 'A-02-01')).toEqual({ onHand: 12, reserved: 0 });

  await page.getByLabel('Reason').selectOption('damaged');
  await page.getByRole('button', { name: 'Confirm adjustment' }).click();
  await expect(feedback(page)).toContainText(`Adjusted ${a.sku} in A-02-01 by −2 (damaged): on hand is now 10.`);
  await expect(page.getByTestId('adjust-preview')).toContainText('10 → 10');

  await page.getByRole('link', { name: `See it in the history of ${a.sku}` }).click();
  const history = page.getByRole('region', { name: 'Movement history' });
  await expect(history.getByRole('row').nth(1)).toContainText(/adjustment/i);
  await expect(history.getByRole('row').nth(1)).toContainText('damaged');
  await expect(history.getByRole('row').nth(1)).toContainText('−2 → 10');
  await expect(history.getByRole('row').nth(1)).toContainText('manager@onhand.test');
  await expect(page.getByTestId('summary-on-hand')).toHaveText('10');

  expect(await level(c, a.sku, 'A-02-01')).toEqual({ onHand: 10, reserved: 0 });
  expect(await movements(c, a.sku, 'adjustment')).toMatchObject([{ on_hand_delta: -2, reason_code: 'damaged', actor: 'user:manager@onhand.test' }]);
});

test('a double-submitted adjustment applies once', async ({ page }) => {
  const a = await makeProduct(c, 'DBL', { 'A-02-02': 12 });
  await signInAs(page, 'manager');
  await startAdjust(page, 'A-02-02', a.ean);
  await page.getByLabel('Change (+ adds, − removes)', { exact: true }).fill('-1');
  await page.getByLabel('Reason').selectOption('lost');
  // Two submissions of the same form before the first answer: both carry the form's idempotency key.
  await page.getByRole('form', { name: 'Adjustment' }).evaluate((form: HTMLFormElement) => {
    form.requestSubmit();
    form.requestSubmit();
  });
  await expect(feedback(page)).toContainText('on hand is now 11');
  // And a double click on the button, for good measure: disabled while pending, and keyed anyway.
  await page.getByLabel('Change (+ adds, − removes)', { exact: true }).fill('-1');
  await page.getByLabel('Reason').selectOption('lost');
  await page.getByRole('button', { name: 'Confirm adjustment' }).dblclick();
  await expect(feedback(page)).toContainText('on hand is now 10');
  await expect(page.getByRole('button', { name: 'Confirm adjustment' })).toBeEnabled();

  expect(await level(c, a.sku, 'A-02-02')).toEqual({ onHand: 10, reserved: 0 });
  expect((await movements(c, a.sku, 'adjustment')).length).toBe(2);
});

test('an answer lost on the way back is retried with the same key and applies once', async ({ page }) => {
  const a = await makeProduct(c, 'RTY', { 'A-02-05': 12 });
  await signInAs(page, 'manager');
  await startAdjust(page, 'A-02-05', a.ean);
  await page.getByLabel('Change (+ adds, − removes)', { exact: true }).fill('-4');
  await page.getByLabel('Reason').selectOption('expired');
  // The first submission reaches the server and is applied, but its answer never reaches the browser.
  let dropped = false;
  await page.route('**/adjust', async (route) => {
    if (route.request().method() !== 'POST' || dropped) return route.continue();
    dropped = true;
    await route.fetch();
    await route.abort('connectionreset');
  });
  await page.getByRole('button', { name: 'Confirm adjustment' }).click();
  await expect(feedback(page)).toContainText('No answer from the server');
  expect(await level(c, a.sku, 'A-02-05')).toEqual({ onHand: 8, reserved: 0 });

  await page.getByRole('button', { name: 'Confirm adjustment' }).click();
  await expect(feedback(page)).toContainText(`Adjusted ${a.sku} in A-02-05 by −4 (expired): on hand is now 8.`);
  expect(await level(c, a.sku, 'A-02-05')).toEqual({ onHand: 8, reserved: 0 });
  expect((await movements(c, a.sku, 'adjustment')).length).toBe(1);
});

test('staff do not see manager-only actions, cannot open them, and the action refuses them', async ({ page, browser }) => {
  const a = await makeProduct(c, 'ROLE', { 'A-02-03': 5 });
  await signInAs(page, 'staff');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Transfers' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Adjust' })).toHaveCount(0);
  await page.goto(`/stock/${a.sku}`);
  await expect(page.getByRole('navigation', { name: 'Product actions' }).getByRole('link', { name: 'Count' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Adjust stock' })).toHaveCount(0);
  await page.goto('/adjust');
  await expect(page.getByRole('heading', { name: 'Not allowed' })).toBeVisible();

  // A manager's adjust screen whose session is swapped for a staff one: the action itself refuses.
  const staffCookies = await page.context().cookies();
  const manager = await browser.newContext();
  const mp = await manager.newPage();
  try {
    await signInAs(mp, 'manager');
    await startAdjust(mp, 'A-02-03', a.ean);
    await mp.getByLabel('Change (+ adds, − removes)', { exact: true }).fill('-3');
    await mp.getByLabel('Reason').selectOption('lost');
    await manager.clearCookies();
    await manager.addCookies(staffCookies);
    await mp.getByRole('button', { name: 'Confirm adjustment' }).click();
    await expect(feedback(mp)).toContainText('This needs the manager role; you are signed in as staff.');
  } finally {
    await manager.close();
  }
  expect(await level(c, a.sku, 'A-02-03')).toEqual({ onHand: 5, reserved: 0 });
  expect(await movements(c, a.sku, 'adjustment')).toEqual([]);
});
