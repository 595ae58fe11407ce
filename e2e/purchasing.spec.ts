import { test } from '@playwright/test';
import { and, eq, ne } from 'drizzle-orm';
import { alerts, products } from '@/db/schema';
import { saveProductSupplier, saveSupplier } from '@/server/inventory/commands/suppliers';
import { actor, core, expect, feedback, makeProduct, ready, scan, signInAs, slow } from './dashboard-fixtures';

slow();

const c = core();

test('a manager turns a low-stock suggestion into a purchase order, receives part of it and closes it short', async ({ page }) => {
  // A product under its threshold (3 on hand, threshold 10, reorder 25) bought in packs of 12 from its preferred supplier.
  const p = await makeProduct(c, 'PUR');
  await c.db.update(products).set({ lowStockThreshold: 10, reorderQty: 25 }).where(eq(products.sku, p.sku));
  const { receive } = await import('@/server/inventory');
  await receive(c.db, { sku: p.sku, warehouse: 'MAIN', location: 'A-01-03', qty: 3, reference: 'e2e' }, { actor });
  const supplier = await saveSupplier(c.db, { name: `E2E Supplier ${p.sku}`, leadTimeDays: 10, mode: 'create' }, { actor });
  await saveProductSupplier(c.db, { sku: p.sku, supplierId: supplier.id, packSize: 12, minOrderQty: 12, preferred: true }, { actor });

  const [{ id: productId }] = await c.db.select({ id: products.id }).from(products).where(eq(products.sku, p.sku));
  const unresolved = () => c.db.$count(alerts, and(eq(alerts.productId, productId), ne(alerts.status, 'resolved')));
  expect(await unresolved()).toBe(1);

  await signInAs(page, 'manager');
  await page.goto('/alerts?warehouse=MAIN');
  await page.getByText('Draft purchase orders from suggestions').click();
  const draft = page.getByRole('form', { name: 'Draft purchase orders' });
  await draft.getByLabel(/Only these SKUs/).fill(p.sku);
  await page.screenshot({ path: 'e2e/screenshots/purchasing-suggestion.png' });
  await draft.getByLabel(/Only these SKUs/).press('Enter');
  const opened = page.getByRole('link', { name: new RegExp(`Open PO-\\d+ \\(${supplier.name}, MAIN\\)`) });
  await expect(opened).toBeVisible();
  const reference = (await opened.textContent())!.match(/PO-\d+/)![0];
  await opened.click();

  // The draft holds the suggestion (25) rounded up to whole packs of 12.
  await expect(page.getByRole('heading', { name: `Purchase order ${reference}` })).toBeVisible();
  await expect(page.getByTestId('po-status')).toHaveText('Draft');
  await expect(page.getByTestId(`po-line-${p.sku}`).getByRole('cell').nth(4)).toHaveText('36');

  const expected = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
  await page.getByLabel('Expected delivery').fill(expected);
  await page.getByRole('button', { name: 'Mark ordered' }).click();
  await expect(page.getByTestId('po-status')).toHaveText('Ordered');
  await page.screenshot({ path: 'e2e/screenshots/purchasing-ordered.png' });

  // Receiving on the floor, by keyboard: ten scans of the product, then the bin.
  await page.getByRole('link', { name: 'Receive' }).click();
  await expect(page.getByRole('heading', { name: `Receive ${reference}` })).toBeVisible();
  await ready(page, 'Scan a product');
  for (let i = 0; i < 10; i++) await scan(page, p.ean);
  await expect(feedback(page)).toContainText(`10 × ${p.name} to put away`);
  await ready(page, `Scan the put-away bin for 10 × ${p.sku}`);
  await scan(page, 'A-01-03');
  await expect(feedback(page)).toContainText(`Received 10 × ${p.name} into A-01-03 (${reference}: 10 of 36, 26 to go)`);
  // 13 on hand is above the threshold again: the low-stock alert resolved with the receipt.
  await expect.poll(unresolved).toBe(0);

  // Back on the order: partially received; close it with the short line's reason.
  await page.goto(`/purchase-orders/${reference}`);
  await expect(page.getByTestId('po-status')).toHaveText('Partially received');
  await expect(page.getByRole('button', { name: 'Cancel purchase order' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Close purchase order' }).click();
  await expect(page.getByText(`${p.sku} is 26 short: give a reason`)).toBeVisible();
  await page.getByLabel(`${p.sku}: 26 short`).selectOption('supplier_short');
  await page.getByRole('button', { name: 'Close purchase order' }).click();
  await expect(page.getByTestId('po-status')).toHaveText('Closed');
  await expect(page.getByTestId(`po-line-${p.sku}`)).toContainText('Supplier short');
  await page.screenshot({ path: 'e2e/screenshots/purchasing-closed.png' });

  // The ledger shows each stock step of the loop: the opening receipt, then the receipt against the PO.
  await page.goto(`/activity?sku=${p.sku}`);
  const ledger = page.getByRole('table');
  await expect(ledger.getByRole('row').filter({ hasText: reference })).toHaveCount(1);
  await expect(ledger.getByRole('row').filter({ hasText: reference })).toContainText('10');

  // The list shows it under Closed; the CSV has the line.
  await page.goto('/purchase-orders');
  await page.getByRole('button', { name: 'Closed', exact: true }).click();
  await expect(page.getByRole('link', { name: reference })).toBeVisible();
  const csv = await page.request.get(`/purchase-orders/${reference}/csv`);
  expect(await csv.text()).toContain(`${reference},closed,${supplier.name},MAIN,${expected},${p.sku},${p.name},,12,36,10,26,supplier_short`);
});
