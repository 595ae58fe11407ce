import { test } from '@playwright/test';
import { core, expect, signInAs, slow, feedback, level, makeProduct, makePurchaseOrder, movements, ready, scan, scanField } from './dashboard-fixtures';

slow();

const c = core();

test('receives against a purchase order by scanning: the order, products in fast succession, the put-away bin', async ({ page }) => {
  const a = await makeProduct(c, 'RECA');
  const b = await makeProduct(c, 'RECB');
  const stranger = await makeProduct(c, 'RECX');
  const po = await makePurchaseOrder(c, [
    { sku: a.sku, qty: 6 },
    { sku: b.sku, qty: 4 },
  ]);
  await signInAs(page, 'staff');
  await page.goto('/receiving');
  await ready(page, 'Scan a purchase order');
  await scan(page, po);
  await expect(page.getByRole('heading', { name: `Receive ${po}` })).toBeVisible();
  await ready(page, 'Scan a product');

  // Four scans back to back: all four count.
  for (let i = 0; i < 4; i++) await scan(page, a.ean);
  await expect(feedback(page)).toContainText(`4 × ${a.name} to put away`);
  await ready(page, `Scan the put-away bin for 4 × ${a.sku}`);
  await scan(page, 'RECV-01');
  await expect(feedback(page)).toContainText(`Received 4 × ${a.name} into RECV-01 (${po}: 4 of 6, 2 to go)`);
  const rowA = page.locator(`tr[data-sku="${a.sku}"]`);
  await expect(rowA.getByRole('cell')).toHaveText([`${a.sku} · ${a.name}`, '6', '4', '2', '', '… 2 to go']);

  // A product not on the order is never accepted silently.
  await scan(page, stranger.ean);
  await expect(feedback(page)).toContainText(`${stranger.sku} (${stranger.name}) is not on ${po}. Scan it again to add it`);
  await page.getByRole('button', { name: 'Discard' }).click();
  await expect(feedback(page)).toContainText('Discarded');

  // Over-receipt: the fifth unit of four asks for a confirming re-scan.
  for (let i = 0; i < 5; i++) await scan(page, b.ean);
  await expect(feedback(page)).toContainText(`Over-receipt: ${po} expects 4 × ${b.sku}, 0 received, this makes 5. Scan it again to confirm.`);
  await scan(page, b.ean);
  await expect(feedback(page)).toContainText(`5 × ${b.name} to put away`);
  await scan(page, 'A-01-03');
  await expect(feedback(page)).toContainText(`Received 5 × ${b.name} into A-01-03 (${po}: 5 of 4, 1 over)`);
  await expect(page.locator(`tr[data-sku="${b.sku}"]`)).toContainText('▲ 1 over');

  // A misread barcode is refused with a reason, and the field is ready again.
  await scan(page, a.ean.slice(0, 12) + ((Number(a.ean[12]) + 1) % 10));
  await expect(feedback(page)).toContainText('did not read cleanly (check digit)');
  await expect(scanField(page)).toBeFocused();
  await expect(scanField(page)).toHaveValue('');

  await page.getByRole('button', { name: 'Finish receipt' }).click();
  await expect(page.getByRole('heading', { name: '1 line is short. Finish the receipt anyway?' })).toBeVisible();
  await page.getByRole('button', { name: 'Finish anyway' }).click();
  await expect(page).toHaveURL(/\/receiving$/);

  const lines = await c.sql`
    SELECT p.sku, l.qty_received FROM purchase_order_lines l JOIN purchase_orders po ON po.id = l.purchase_order_id
    JOIN products p ON p.id = l.product_id WHERE po.reference = ${po} ORDER BY p.sku`;
  expect(Object.fromEntries(lines.map((l) => [l.sku, l.qty_received]))).toEqual({ [a.sku]: 4, [b.sku]: 5 });
  expect(await level(c, a.sku, 'RECV-01')).toEqual({ onHand: 4, reserved: 0 });
  expect(await level(c, b.sku, 'A-01-03')).toEqual({ onHand: 5, reserved: 0 });
  expect(await movements(c, b.sku)).toMatchObject([
    { kind: 'receipt', on_hand_delta: 5, reference_type: 'purchase_order', reference_id: po, note: 'over-receipt confirmed by re-scan', actor: 'user:staff@onhand.test' },
  ]);
  expect(await movements(c, stranger.sku)).toEqual([]);
});

test('receives without a purchase order: scan the product, key the count, scan the bin', async ({ page }) => {
  const p = await makeProduct(c, 'RECNOPO');
  await signInAs(page, 'staff');
  await page.goto('/receiving');
  await page.getByRole('link', { name: 'Receive without a purchase order' }).click();
  await expect(page.getByRole('heading', { name: 'Receive without a purchase order' })).toBeVisible();
  await ready(page, 'Scan a product');
  for (let i = 0; i < 3; i++) await scan(page, p.ean);
  await expect(feedback(page)).toContainText(`3 × ${p.name} to put away`);
  await ready(page, `Scan the put-away bin for 3 × ${p.sku}`);
  await scan(page, 'A-01-03');
  await expect(feedback(page)).toContainText(`Received 3 × ${p.name} into A-01-03`);
  expect(await level(c, p.sku, 'A-01-03')).toEqual({ onHand: 3, reserved: 0 });
  expect(await movements(c, p.sku)).toMatchObject([{ kind: 'receipt', on_hand_delta: 3, location: 'A-01-03', actor: 'user:staff@onhand.test' }]);
});
