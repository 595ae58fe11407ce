import { test } from '@playwright/test';
import { receive } from '@/server/inventory';
import { actor, core, expect, signInAs, slow, feedback, level, makeProduct, movements, ready, scan } from './dashboard-fixtures';

slow();

const c = core();

test('a blind count that meets a concurrent receipt shows the new figure; the counter confirms and it applies', async ({ page }) => {
  const a = await makeProduct(c, 'CNT', { 'A-03-02': 10 });
  await signInAs(page, 'staff');
  await page.goto('/counts');
  await page.getByLabel('Warehouse').selectOption('MAIN');
  await ready(page, 'Scan a bin to count');
  await scan(page, 'A-03-02');
  await expect(feedback(page)).toContainText('Counting A-03-02. Scan a product.');

  for (let i = 0; i < 9; i++) await scan(page, a.ean);
  await expect(page.getByTestId('task-progress')).toHaveText('9');
  // Blind: the recorded figure is nowhere on the screen while counting (as a figure of its own: the random SKU
  // may contain the digits 10).
  await expect(page.getByRole('main')).not.toContainText(/(^|[^0-9A-Z])10([^0-9A-Z]|$)/);

  // Meanwhile someone receives three more into the same bin.
  await receive(c.db, { sku: a.sku, warehouse: 'MAIN', location: 'A-03-02', qty: 3 }, { actor });

  await page.getByRole('button', { name: 'Submit count' }).click();
  await expect(feedback(page)).toContainText('Stock moved since you started: on hand is now 13');
  await expect(page.getByTestId('count-conflict')).toContainText('On hand is now 13 (it was 10 when you scanned the bin). You counted 9.');
  await expect(page.getByRole('region', { name: /Stock moved since you started/ })).toContainText('+3 · receipt');
  expect(await level(c, a.sku, 'A-03-02')).toEqual({ onHand: 13, reserved: 0 });

  await page.getByRole('button', { name: 'Confirm my count of 9' }).click();
  await expect(feedback(page)).toContainText(`Counted 9 × ${a.name} in A-03-02: 4 fewer than recorded (−4)`);
  await expect(page.getByRole('region', { name: 'Counted this session' })).toContainText('▼ −4 fewer');

  expect(await level(c, a.sku, 'A-03-02')).toEqual({ onHand: 9, reserved: 0 });
  const counts = await movements(c, a.sku, 'count');
  expect(counts).toMatchObject([{ on_hand_delta: -4, on_hand_after: 9, reason_code: 'cycle_count', actor: 'user:staff@onhand.test' }]);
});
