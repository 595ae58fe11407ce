import { randomBytes } from 'node:crypto';
import { test } from '@playwright/test';
import { core, expect, feedback, level, makeProduct, ready, scan, signInAs, slow } from './dashboard-fixtures';

slow();

const c = core();

test('a manager creates bins by pattern (preview first, a clash refused), receives into a new bin, and the open bin list shows it', async ({ page, context }) => {
  const tag = `Q${randomBytes(2).toString('hex').toUpperCase()}`;
  const product = await makeProduct(c, 'LOC');
  await signInAs(page, 'manager');
  await page.goto('/warehouses');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Warehouses' }).waitFor();
  await page.getByRole('link', { name: 'MAIN', exact: true }).click();
  await expect(page).toHaveURL(/\/warehouses\/MAIN$/);

  // The preview follows the fields: names and clashes before anything is written.
  const pattern = page.getByRole('form', { name: 'Create bins by pattern' });
  await pattern.getByLabel('Aisles').fill(tag);
  await pattern.getByLabel('Racks').fill('01-03');
  await pattern.getByLabel('Levels').fill('1-2');
  await expect(pattern.getByTestId('pattern-count')).toHaveText('6');
  await expect(pattern.getByRole('region', { name: 'Preview' })).toContainText(`${tag}-01-1 ${tag}-01-2 ${tag}-02-1 ${tag}-02-2 ${tag}-03-1 ${tag}-03-2`);
  await expect(pattern.getByText('No clash with existing bins.')).toBeVisible();
  const binsNamed = async () => (await c.sql`SELECT count(*)::int AS n FROM locations WHERE code LIKE ${`${tag}-%`}`)[0].n;
  expect(await binsNamed()).toBe(0);
  await pattern.getByRole('button', { name: 'Create 6 bins' }).click();
  await expect(pattern.getByText(`Created 6 bins: ${tag}-01-1 … ${tag}-03-2.`)).toBeVisible();
  await expect(page.getByTestId(`bin-row-${tag}-03-2`)).toBeVisible();
  expect(await binsNamed()).toBe(6);

  // A pattern overlapping them names the clashes and cannot be sent; nothing is written.
  await pattern.getByLabel('Racks').fill('03-04');
  await expect(pattern.getByTestId('pattern-clashes')).toContainText(`Already exist: ${tag}-03-1 ${tag}-03-2`);
  await expect(pattern.getByRole('button', { name: 'Create 4 bins' })).toBeDisabled();
  await pattern.getByLabel('Levels').press('Enter');
  expect(await binsNamed()).toBe(6);

  // Another tab keeps the warehouse open while stock arrives in a new bin on the receiving screen.
  const watcher = await context.newPage();
  await watcher.goto('/warehouses/MAIN');
  await expect(watcher.getByTestId(`bin-row-${tag}-02-1`)).toContainText('empty');
  await page.goto('/receiving/receipt');
  await ready(page, 'Scan a product');
  await scan(page, product.ean);
  await scan(page, product.ean);
  await expect(feedback(page)).toContainText(`2 × ${product.name} to put away`);
  await scan(page, `${tag}-02-1`);
  await expect(feedback(page)).toContainText(`Received 2 × ${product.name} into ${tag}-02-1`);
  expect(await level(c, product.sku, `${tag}-02-1`)).toEqual({ onHand: 2, reserved: 0 });
  await expect(watcher.getByTestId(`bin-row-${tag}-02-1`)).toContainText(`${product.sku} × 2`);

  // The bin holding stock cannot be deactivated; the refusal names what it holds.
  const row = watcher.getByTestId(`bin-row-${tag}-02-1`);
  await row.getByRole('button', { name: 'Deactivate' }).click();
  await expect(row.getByRole('alert')).toHaveText(`⚠ ${tag}-02-1 still holds ${product.sku} × 2: move, adjust or release it before deactivating.`);
  // An empty one can, and takes no new stock from then on.
  const empty = watcher.getByTestId(`bin-row-${tag}-03-2`);
  await empty.getByRole('button', { name: 'Deactivate' }).click();
  await expect(empty).toContainText('Deactivated');
  const [row32] = await c.sql`SELECT active FROM locations WHERE code = ${`${tag}-03-2`}`;
  expect(row32.active).toBe(false);
});
