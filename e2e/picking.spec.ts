import { test } from '@playwright/test';
import { core, expect, signInAs, slow, feedback, level, makeOrder, makeProduct, movements, ready, scan } from './dashboard-fixtures';

slow();

const c = core();

async function openOrder(page: import('@playwright/test').Page, orderId: string) {
  await page.goto('/picking');
  await page.getByLabel('Warehouse').selectOption('MAIN');
  await page.getByLabel('Order').selectOption(orderId);
}

test('picks an order by scanning bins and products, fast scans included, then ships it', async ({ page }) => {
  const a = await makeProduct(c, 'PICKA', { 'P-01-01': 10 });
  const b = await makeProduct(c, 'PICKB', { 'P-02-03': 2 });
  const order = await makeOrder(c, [
    { sku: b.sku, qty: 2 },
    { sku: a.sku, qty: 3 },
  ]);
  await page.setViewportSize({ width: 1280, height: 960 });
  await signInAs(page, 'staff');
  await openOrder(page, order.id);

  // Bin-path order: P-01-01 comes before P-02-03 whatever the line order.
  await expect(page.getByTestId('task-bin')).toHaveText('P-01-01');
  await ready(page, 'Scan bin P-01-01');
  await scan(page, 'P-01-01');
  await expect(feedback(page)).toContainText('Bin P-01-01 confirmed');
  await ready(page, `Scan ${a.sku}`);
  await page.screenshot({ path: 'e2e/screenshots/picking.png' });

  // Three scans in fast succession, no waiting between them: none is lost, the third completes the line.
  await scan(page, a.ean);
  await scan(page, a.ean);
  await scan(page, a.ean);
  await expect(feedback(page)).toContainText(`Picked 3 × ${a.name} from P-01-01 (0 left on this line)`);

  await expect(page.getByTestId('task-bin')).toHaveText('P-02-03');
  await scan(page, 'P-02-04');
  await expect(feedback(page)).toContainText('Wrong bin: expected P-02-03, scanned P-02-04');
  await scan(page, 'P-02-03');
  await scan(page, a.ean);
  await expect(feedback(page)).toContainText(`Wrong product: expected ${b.sku}`);
  await scan(page, b.ean);
  await scan(page, b.ean);
  await expect(feedback(page)).toContainText(`${order.reference} is picked`);

  // The pick emptied P-02-03 by the record: the picker is asked, and "yes" is a free count.
  await expect(page.getByRole('heading', { name: 'Is P-02-03 empty now?' })).toBeVisible();
  await page.getByRole('button', { name: 'Yes, it is empty' }).click();
  await expect(feedback(page)).toContainText('P-02-03 confirmed empty and recorded as counted.');
  expect(await movements(c, b.sku, 'count')).toMatchObject([{ location: 'P-02-03', on_hand_delta: 0, on_hand_after: 0 }]);

  await page.getByRole('button', { name: `Ship ${order.reference}` }).click();
  await expect(feedback(page)).toContainText(`Shipped ${order.reference}: 5 units`);
  await expect(page.getByRole('button', { name: `Ship ${order.reference}` })).toHaveCount(0);

  const [o] = await c.sql`SELECT status FROM orders WHERE id = ${order.id}`;
  expect(o.status).toBe('shipped');
  expect(await level(c, a.sku, 'P-01-01')).toEqual({ onHand: 7, reserved: 0 });
  expect(await level(c, b.sku, 'P-02-03')).toEqual({ onHand: 0, reserved: 0 });
  expect(await level(c, a.sku, 'SHIP-01')).toEqual({ onHand: 0, reserved: 0 });
  expect((await movements(c, a.sku)).map((m) => m.kind).sort()).toEqual(['allocation', 'pick', 'receipt', 'ship', 'staged']);
  const lines = await c.sql`SELECT picked_qty, short_qty FROM order_lines WHERE order_id = ${order.id} ORDER BY line_no`;
  expect(lines.map((l) => [l.picked_qty, l.short_qty])).toEqual([[2, 0], [3, 0]]);
});

test('picking more than the bin holds for the order is refused clearly and changes nothing', async ({ page }) => {
  const a = await makeProduct(c, 'OVER', { 'P-01-02': 4 });
  const order = await makeOrder(c, [{ sku: a.sku, qty: 2 }]);
  await signInAs(page, 'staff');
  await openOrder(page, order.id);
  await ready(page, 'Scan bin P-01-02');
  await scan(page, 'P-01-02');
  await scan(page, a.ean);
  await expect(feedback(page)).toContainText(`1 of 2 × ${a.name}`);

  await page.getByLabel('Quantity to pick', { exact: true }).fill('5');
  await page.getByRole('button', { name: 'Confirm quantity' }).click();
  await expect(feedback(page)).toContainText(`holds 2 of ${a.sku} in P-01-02; cannot pick 5 there`);
  await expect(page.locator('#numpad-qty-error')).toContainText('cannot pick 5');

  expect(await level(c, a.sku, 'P-01-02')).toEqual({ onHand: 4, reserved: 2 });
  const [line] = await c.sql`SELECT picked_qty, short_qty FROM order_lines WHERE order_id = ${order.id}`;
  expect([line.picked_qty, line.short_qty]).toEqual([0, 0]);
  const [o] = await c.sql`SELECT status FROM orders WHERE id = ${order.id}`;
  expect(o.status).toBe('allocated');
  expect((await movements(c, a.sku, 'pick')).length).toBe(0);
});

test('a short pick writes the missing units off and re-holds them in another bin', async ({ page }) => {
  const a = await makeProduct(c, 'SHORT', { 'P-01-05': 2, 'A-02-04': 10 });
  const order = await makeOrder(c, [{ sku: a.sku, qty: 2 }]);
  await signInAs(page, 'staff');
  await openOrder(page, order.id);
  await ready(page, 'Scan bin P-01-05');
  await scan(page, 'P-01-05');
  await page.getByRole('button', { name: 'Stock issue' }).click();
  await expect(page.getByLabel('Units missing', { exact: true })).toHaveValue('2');
  await page.getByLabel('What is wrong').selectOption('not_found');
  await page.getByRole('button', { name: 'Record stock issue' }).click();
  await expect(feedback(page)).toContainText('Recorded 2 missing in P-01-05; pick them from 2 in A-02-04 instead');
  await expect(page.getByTestId('task-bin')).toHaveText('A-02-04');

  expect(await level(c, a.sku, 'P-01-05')).toEqual({ onHand: 0, reserved: 0 });
  expect(await level(c, a.sku, 'A-02-04')).toEqual({ onHand: 10, reserved: 2 });
  const writeOff = (await movements(c, a.sku, 'adjustment'))[0];
  expect(writeOff).toMatchObject({ location: 'P-01-05', on_hand_delta: -2, reserved_delta: -2, reason_code: 'lost', reference_type: 'order', reference_id: order.id });
  const holds = await c.sql`SELECT l.code, r.qty FROM reservations r JOIN locations l ON l.id = r.location_id WHERE r.hold_id = ${order.id} AND r.status = 'active'`;
  expect(holds.map((h) => [h.code, h.qty])).toEqual([['A-02-04', 2]]);

  // The re-held units are then picked from their new bin.
  await scan(page, 'A-02-04');
  await scan(page, a.ean);
  await scan(page, a.ean);
  await expect(feedback(page)).toContainText(`Picked 2 × ${a.name} from A-02-04`);
  const [o] = await c.sql`SELECT status FROM orders WHERE id = ${order.id}`;
  expect(o.status).toBe('picked');
});

test('Skip puts a line last: the next bin comes first, and the skipped line is picked after it', async ({ page }) => {
  const a = await makeProduct(c, 'SKIPA', { 'P-01-01': 4 });
  const b = await makeProduct(c, 'SKIPB', { 'P-02-03': 4 });
  const order = await makeOrder(c, [
    { sku: a.sku, qty: 1 },
    { sku: b.sku, qty: 1 },
  ]);
  await signInAs(page, 'staff');
  await openOrder(page, order.id);
  await expect(page.getByTestId('task-bin')).toHaveText('P-01-01');
  await page.getByRole('button', { name: 'Skip' }).click();
  await expect(feedback(page)).toContainText(`Skipped ${a.sku} in P-01-01; it is now last.`);
  await expect(page.getByTestId('task-bin')).toHaveText('P-02-03');
  await ready(page, 'Scan bin P-02-03');
  await scan(page, 'P-02-03');
  await scan(page, b.ean);
  await expect(feedback(page)).toContainText(`Picked 1 × ${b.name} from P-02-03`);
  // The skipped line comes back last.
  await expect(page.getByTestId('task-bin')).toHaveText('P-01-01');
  await scan(page, 'P-01-01');
  await scan(page, a.ean);
  await expect(feedback(page)).toContainText(`${order.reference} is picked`);
  const lines = await c.sql`SELECT l.picked_qty FROM order_lines l WHERE l.order_id = ${order.id} ORDER BY line_no`;
  expect(lines.map((l) => l.picked_qty)).toEqual([1, 1]);
});
