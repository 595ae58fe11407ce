import { test } from '@playwright/test';
import { pick } from '@/server/inventory/commands/pick';
import { actor, core, expect, makeOrder, makeProduct, signInAs, slow } from './dashboard-fixtures';

slow();

const c = core();

const orderCard = (page: import('@playwright/test').Page, reference: string) => page.getByRole('article', { name: reference });

test('staff see orders by state with their lines and bins; a manager cancels one and it moves to cancelled live', async ({ page, browser }) => {
  const a = await makeProduct(c, 'ORDA', { 'P-01-01': 2, 'A-01-01': 10 });
  const b = await makeProduct(c, 'ORDB', { 'A-01-02': 5 });
  const picking = await makeOrder(c, [{ sku: a.sku, qty: 4 }]);
  await pick(c.db, { orderId: picking.id, sku: a.sku, warehouse: 'MAIN', location: 'P-01-01', qty: 2 }, { actor });
  const open = await makeOrder(c, [
    { sku: a.sku, qty: 1 },
    { sku: b.sku, qty: 3 },
  ]);

  // A staff member: the list by state, one order's lines and where each unit is held; no cancelling.
  await signInAs(page, 'staff');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Orders' }).click();
  await expect(page.getByRole('heading', { name: 'Orders', level: 1 })).toBeVisible();
  await page.getByRole('button', { name: /^Picking \(\d+\)$/ }).click();
  await expect(page.getByRole('button', { name: /^Picking \(\d+\)$/ })).toHaveAttribute('aria-pressed', 'true');
  const card = orderCard(page, picking.reference);
  await expect(card).toBeVisible();
  await expect(orderCard(page, open.reference)).toHaveCount(0);
  const line = card.getByRole('row').filter({ hasText: a.sku });
  await expect(line).toContainText('2 × MAIN / A-01-01');
  await expect(line).toContainText('2 × MAIN / SHIP-01');
  await expect(line).toContainText('(picked, waiting to ship)');
  await expect(card.getByRole('button', { name: /Cancel order/ })).toHaveCount(0);

  // The search, keyboard only: type the reference, and Allocated narrows to that one order.
  await page.getByRole('button', { name: /^Allocated \(\d+\)$/ }).click();
  await page.getByLabel('Search by reference').fill(open.reference);
  await expect(page.getByRole('button', { name: 'Allocated (1)' })).toBeVisible();
  await expect(page.getByTestId('order')).toHaveCount(1);
  await expect(orderCard(page, open.reference).getByRole('row').filter({ hasText: b.sku })).toContainText('3 × MAIN / A-01-02');
  await page.screenshot({ path: 'e2e/screenshots/orders.png' });

  // A manager, in another browser, cancels it; the staff page, untouched, sees it leave Allocated for Cancelled.
  const managerContext = await browser.newContext();
  const manager = await managerContext.newPage();
  await signInAs(manager, 'manager');
  await manager.goto('/orders');
  await manager.getByLabel('Search by reference').fill(open.reference);
  const managed = orderCard(manager, open.reference);
  await managed.getByRole('button', { name: `Cancel order ${open.reference}` }).click();
  await expect(managed).toContainText(`Cancel ${open.reference}? The 4 units it holds go back to stock.`);
  // The confirmation takes the focus: Escape backs out and nothing changes.
  await expect(managed.getByRole('button', { name: `Yes, cancel ${open.reference}` })).toBeFocused();
  await manager.keyboard.press('Escape');
  await expect(managed.getByRole('button', { name: `Cancel order ${open.reference}` })).toBeFocused();
  await manager.keyboard.press('Enter');
  await managed.getByRole('button', { name: `Yes, cancel ${open.reference}` }).press('Enter');
  await expect(manager.getByRole('status').filter({ hasText: `Cancelled ${open.reference}: 4 units released.` })).toBeVisible();
  await expect(managed.getByTestId('order-state')).toContainText('Cancelled');
  await expect(managed.getByRole('button', { name: /Cancel order/ })).toHaveCount(0);
  await expect(managed.getByRole('row').filter({ hasText: b.sku })).toContainText('nothing held');

  await expect(page.getByRole('button', { name: 'Allocated (0)' })).toBeVisible();
  await expect(page.getByRole('heading', { name: `No allocated order matches “${open.reference}”` })).toBeVisible();
  await page.getByRole('button', { name: /^Cancelled \(1\)$/ }).click();
  await expect(orderCard(page, open.reference).getByTestId('order-state')).toContainText('Cancelled');

  const [row] = await c.sql`SELECT status FROM orders WHERE id = ${open.id}`;
  expect(row.status).toBe('cancelled');
  await managerContext.close();
});
