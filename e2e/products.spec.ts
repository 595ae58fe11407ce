import { randomBytes } from 'node:crypto';
import { test } from '@playwright/test';
import { eq } from 'drizzle-orm';
import { masterDataChanges, products } from '@/db/schema';
import { core, expect, randomEan, scan, signInAs, slow } from './dashboard-fixtures';

slow();

const c = core();

test('a manager creates a product with a scanned barcode, edits it, adds a scanned code on its page; a stale save is refused', async ({ page, context }) => {
  const sku = `E2E-CAT-${randomBytes(3).toString('hex').toUpperCase()}`;
  const first = randomEan();
  const second = randomEan();
  await signInAs(page, 'manager');
  await page.goto('/products/new');
  await page.getByLabel('SKU').fill(sku);
  await page.getByLabel('Name').fill('Scanned lamp');

  // The scanner's Enter adds the code to the list; it never sends the form. A misread is said at once.
  await page.getByLabel('Barcodes', { exact: true }).click();
  const misread = first.slice(0, -1) + String((Number(first.at(-1)) + 1) % 10);
  await scan(page, misread);
  await expect(page.getByText(`${misread}: the check digit is wrong`)).toBeVisible();
  await page.getByLabel('Barcodes', { exact: true }).fill('');
  await scan(page, first);
  await expect(page.getByRole('list', { name: 'Barcodes of this product' })).toContainText(first);
  await expect(page).toHaveURL(/\/products\/new$/);

  await page.getByRole('button', { name: 'Create product' }).click();
  await expect(page).toHaveURL(new RegExp(`/products/${sku}$`));
  await expect(page.getByRole('heading', { name: 'Scanned lamp' })).toBeVisible();

  // Edit: a new name and threshold, saved on version 1.
  const edit = page.getByRole('form', { name: 'Edit product' });
  await edit.getByLabel('Name').fill('Scanned lamp, large');
  await edit.getByLabel('Low-stock threshold').fill('4');
  await edit.getByRole('button', { name: 'Save product' }).click();
  await expect(page.getByRole('heading', { name: 'Scanned lamp, large' })).toBeVisible();
  await expect(page.getByTestId('product-version')).toHaveText('version 2');

  // A code scanned on the product's page is added at once.
  await page.getByLabel('Scan a code to add it').click();
  await scan(page, second);
  await expect(page.getByText(`Added ${second} to ${sku}.`)).toBeVisible();
  await expect(page.getByTestId('product-version')).toHaveText('version 3');

  // Another manager's tab still on version 3 while this one saves: its save is refused with what changed.
  const other = await context.newPage();
  await other.goto(`/products/${sku}`);
  await expect(other.getByTestId('product-version')).toHaveText('version 3');
  await edit.getByLabel('Unit').fill('box');
  await edit.getByRole('button', { name: 'Save product' }).click();
  await expect(page.getByTestId('product-version')).toHaveText('version 4');
  const otherEdit = other.getByRole('form', { name: 'Edit product' });
  await otherEdit.getByLabel('Name').fill('Overwritten?');
  await otherEdit.getByRole('button', { name: 'Save product' }).click();
  await expect(otherEdit.getByText(/was changed by someone else/)).toBeVisible();
  await expect(otherEdit.getByText('changed meanwhile to "box"')).toBeVisible();

  const [row] = await c.db.select().from(products).where(eq(products.sku, sku));
  expect(row).toMatchObject({ name: 'Scanned lamp, large', unit: 'box', lowStockThreshold: 4, barcodes: [`0${first}`, `0${second}`], version: 4, active: true });
  const changes = await c.db.select().from(masterDataChanges).where(eq(masterDataChanges.entityKey, sku)).orderBy(masterDataChanges.id);
  expect(changes.map((ch) => [ch.action, ch.actor])).toEqual([
    ['create', 'user:manager@onhand.test'],
    ['update', 'user:manager@onhand.test'],
    ['update', 'user:manager@onhand.test'],
    ['update', 'user:manager@onhand.test'],
  ]);
  await expect(page.getByRole('region', { name: 'Changes' }).getByRole('row')).toHaveCount(5);
});
