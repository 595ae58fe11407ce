import { test } from '@playwright/test';
import { eq } from 'drizzle-orm';
import { users as userRows } from '@/db/schema';
import { count, receive, type Actor } from '@/server/inventory';
import { core, expect, feedback, level, makeProduct, movements, ready, scan, signInAs, slow } from './dashboard-fixtures';
import { users } from './support';

slow();
// The navigation's badge counts every pending request: this file's tests run one after another, so each sees its own.
test.describe.configure({ mode: 'default' });

const c = core();

test('a staff count beyond the tolerance waits for a manager, who approves it; a large receipt without a PO is rejected with a reason', async ({ page }) => {
  const a = await makeProduct(c, 'APR', { 'A-03-02': 40 });
  const [staff] = await c.db.select().from(userRows).where(eq(userRows.email, users.staff));
  const asStaff = { actor: { kind: 'user', id: staff.id, label: staff.email } as Actor };
  await expect(count(c.db, { sku: a.sku, warehouse: 'MAIN', location: 'A-03-02', counted: 5, expected: 40 }, asStaff)).rejects.toThrow(/Sent to a manager for approval/);
  await expect(receive(c.db, { sku: a.sku, warehouse: 'MAIN', location: 'A-03-02', qty: 500 }, asStaff)).rejects.toThrow(/without a purchase order/);
  expect(await level(c, a.sku, 'A-03-02')).toEqual({ onHand: 40, reserved: 0 });

  await signInAs(page, 'manager');
  await page.goto('/approvals');
  await expect(page.getByRole('heading', { name: 'Approvals' })).toBeVisible();
  const countRow = page.getByRole('row').filter({ hasText: `changes ${a.sku} in A-03-02 by 35 units` });
  const receiptRow = page.getByRole('row').filter({ hasText: `receipt of 500 × ${a.sku}` });
  await expect(countRow).toContainText(users.staff);
  await expect(receiptRow).toBeVisible();

  // A rejection needs a reason, said next to the request; then it leaves the queue and nothing is received.
  await receiptRow.getByRole('button', { name: 'Reject' }).click();
  await expect(receiptRow.getByRole('alert')).toHaveText('Say why, for the person who asked');
  await receiptRow.getByLabel('Reason for rejecting').fill('No delivery of 500 today');
  await receiptRow.getByRole('button', { name: 'Reject' }).click();
  await expect(receiptRow).toHaveCount(0);

  await countRow.getByRole('button', { name: 'Approve' }).click();
  await expect(countRow).toHaveCount(0);
  expect(await level(c, a.sku, 'A-03-02')).toEqual({ onHand: 5, reserved: 0 });
  expect(await movements(c, a.sku, 'count')).toMatchObject([{ on_hand_delta: -35, actor: `user:${users.staff}` }]);
  expect(await movements(c, a.sku, 'receipt')).toHaveLength(1);
});

test('a staff count beyond the tolerance appears on the manager’s open queue and badge without a reload; the approval reaches the counter’s screen', async ({ page, browser }) => {
  const a = await makeProduct(c, 'APL', { 'A-03-02': 40 });

  // A manager has the queue open, live, before anything is asked.
  const managerContext = await browser.newContext();
  try {
    const manager = await managerContext.newPage();
    await signInAs(manager, 'manager');
    await manager.goto('/approvals');
    await expect(manager.getByTestId('live-status')).toHaveAttribute('data-status', 'live', { timeout: 15_000 });
    // Set once; a reload would lose it.
    await manager.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
    const nav = manager.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByTestId('approval-count')).toHaveCount(0);
    const row = manager.getByRole('row').filter({ hasText: `changes ${a.sku} in A-03-02 by 35 units` });
    await expect(row).toHaveCount(0);

    // On the floor, a staff member counts 5 where the record says 40, twice (the screen asks for a recount first).
    await signInAs(page, 'staff');
    await page.goto('/counts');
    await page.getByLabel('Warehouse').selectOption('MAIN');
    await ready(page, 'Scan a bin to count');
    await scan(page, 'A-03-02');
    await expect(feedback(page)).toContainText('Counting A-03-02. Scan a product.');
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 5; i++) await scan(page, a.ean);
      await expect(page.getByTestId('task-progress')).toHaveText('5');
      await page.getByRole('button', { name: 'Submit count' }).click();
      if (round === 0) await expect(feedback(page)).toContainText('That differs a lot from the record.');
    }
    await expect(feedback(page)).toContainText(`Sent to a manager for approval: the count changes ${a.sku} in A-03-02 by 35 units`);
    expect(await level(c, a.sku, 'A-03-02')).toEqual({ onHand: 40, reserved: 0 });

    // The manager's open queue and badge show it, no reload.
    await expect(row).toContainText(users.staff);
    await expect(nav.getByTestId('approval-count')).toHaveText(/^1\b/);

    // The counter watches the product; the manager approves; the queue empties and the counter sees the new figure.
    await page.goto(`/stock/${a.sku}`);
    await expect(page.getByTestId('live-status')).toHaveAttribute('data-status', 'live', { timeout: 15_000 });
    await expect(page.getByTestId('summary-on-hand')).toHaveText('40');
    await row.getByRole('button', { name: 'Approve' }).click();
    await expect(row).toHaveCount(0);
    await expect(nav.getByTestId('approval-count')).toHaveCount(0);
    await expect(manager.getByText('Nothing waits for approval')).toBeVisible();
    await expect(page.getByTestId('summary-on-hand')).toHaveText('5');
    expect(await manager.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument === true)).toBe(true);
    expect(await movements(c, a.sku, 'count')).toMatchObject([{ on_hand_delta: -35, actor: `user:${users.staff}` }]);
  } finally {
    await managerContext.close();
  }
});
