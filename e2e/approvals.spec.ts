import { test } from '@playwright/test';
import { eq } from 'drizzle-orm';
import { users as userRows } from '@/db/schema';
import { count, receive, type Actor } from '@/server/inventory';
import { core, expect, level, makeProduct, movements, signInAs, slow } from './dashboard-fixtures';
import { users } from './support';

slow();

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
