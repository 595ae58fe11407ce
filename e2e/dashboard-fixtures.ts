// What the dashboard tests set up for themselves, through the same core commands the app uses: products with
// their own SKUs and barcodes, stock in named bins, purchase orders and allocated orders. Each test makes its
// own, so tests running side by side never share a level.
import { randomBytes } from 'node:crypto';
import { expect as baseExpect, test, type Locator, type Page } from '@playwright/test';
import { sql } from 'drizzle-orm';
import { connect, type Connection } from '@/db/client';
import { purchaseOrderLines, purchaseOrders, products, warehouses } from '@/db/schema';
import { gtinCheckDigit } from '@/lib/scan';
import { allocateOrder, receive, systemActor } from '@/server/inventory';

export const actor = systemActor('e2e');

// The machine running these is small and shared: flows of a dozen scans get room, and every wait is on what the
// page shows, never on time.
export const expect = baseExpect.configure({ timeout: 15_000 });
export const slow = () => test.describe.configure({ timeout: 120_000 });

export { signIn as signInAs } from './support';

export function core(): Connection {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is set by npm test for the end-to-end run');
  // Idle connections close themselves (and reopen on the next query), so a spec file's connection is never ended
  // by hand: Playwright may run more of a file's tests in a worker after that file's afterAll.
  return connect(url, { max: 2, idle_timeout: 2 });
}

export type TestProduct = { sku: string; name: string; ean: string; gtin: string };

// In-store GTIN prefix 2x: never clashes with the demo catalogue's 50… codes.
export function randomEan(): string {
  const body = `2${String(randomBytes(6).readUIntBE(0, 6)).padStart(11, '0').slice(-11)}`;
  return body + gtinCheckDigit(body);
}

export async function makeProduct(c: Connection, label: string, stock: Record<string, number> = {}, warehouse = 'MAIN'): Promise<TestProduct> {
  const id = randomBytes(3).toString('hex').toUpperCase();
  const ean = randomEan();
  const p = { sku: `E2E-${label}-${id}`, name: `Test ${label} ${id}`, ean, gtin: `0${ean}` };
  await c.db.insert(products).values({ sku: p.sku, name: p.name, barcodes: [p.gtin], lowStockThreshold: 2 });
  for (const [location, qty] of Object.entries(stock)) await receive(c.db, { sku: p.sku, warehouse, location, qty, reference: 'e2e' }, { actor });
  return p;
}

// The alerts review's threshold editor for one product: its row found by search (so it is on the first page), its
// Edit button, and the default-threshold form in the dialog that opens.
export async function openThresholdEditor(page: Page, sku: string): Promise<Locator> {
  await page.goto(`/alerts?warehouse=MAIN&q=${encodeURIComponent(sku)}`);
  await page.getByRole('button', { name: `Edit the threshold of ${sku}` }).click();
  const form = page.getByRole('dialog').locator('form', { has: page.locator('input[name="sku"]') });
  await expect(form).toHaveCount(1);
  return form;
}

export async function makePurchaseOrder(c: Connection, lines: { sku: string; qty: number }[], warehouse = 'MAIN') {
  const reference = `PO-E2E-${randomBytes(3).toString('hex').toUpperCase()}`;
  const [wh] = await c.db.select().from(warehouses).where(sql`code = ${warehouse}`);
  const [po] = await c.db.insert(purchaseOrders).values({ reference, warehouseId: wh.id, supplier: 'Test Supplier' }).returning();
  for (const l of lines) {
    const [p] = await c.db.select().from(products).where(sql`sku = ${l.sku}`);
    await c.db.insert(purchaseOrderLines).values({ purchaseOrderId: po.id, productId: p.id, qtyExpected: l.qty });
  }
  return reference;
}

export async function makeOrder(c: Connection, lines: { sku: string; qty: number }[]) {
  const reference = `SO-E2E-${randomBytes(3).toString('hex').toUpperCase()}`;
  const order = await allocateOrder(c.db, { reference, channel: 'web', lines }, { actor });
  return { id: order.id, reference, allocations: order.lines };
}

export async function level(c: Connection, sku: string, location: string, warehouse = 'MAIN') {
  const [row] = (await c.db.execute(sql`
    SELECT coalesce(s.on_hand, 0)::int AS on_hand, coalesce(s.reserved, 0)::int AS reserved
    FROM products p CROSS JOIN locations l JOIN warehouses w ON w.id = l.warehouse_id
    LEFT JOIN stock_levels s ON s.product_id = p.id AND s.location_id = l.id
    WHERE p.sku = ${sku} AND w.code = ${warehouse} AND l.code = ${location}`)) as unknown as { on_hand: number; reserved: number }[];
  return { onHand: row.on_hand, reserved: row.reserved };
}

export async function movements(c: Connection, sku: string, kind?: string) {
  return (await c.db.execute(sql`
    SELECT m.kind, m.on_hand_delta, m.reserved_delta, m.on_hand_after, m.reason_code, m.reference_type, m.reference_id, m.note, m.actor, l.code AS location
    FROM stock_movements m JOIN products p ON p.id = m.product_id JOIN locations l ON l.id = m.location_id
    WHERE p.sku = ${sku} ${kind ? sql`AND m.kind = ${kind}` : sql``} ORDER BY m.id`)) as unknown as {
    kind: string;
    on_hand_delta: number;
    reserved_delta: number;
    on_hand_after: number;
    reason_code: string | null;
    reference_type: string | null;
    reference_id: string | null;
    note: string | null;
    actor: string;
    location: string;
  }[];
}

// A keyboard-wedge scanner: the code typed into whatever has focus, then the Enter suffix.
export async function scan(page: Page, code: string) {
  await page.keyboard.type(code);
  await page.keyboard.press('Enter');
}

export const feedback = (page: Page) => page.getByRole('status', { name: 'Feedback' });
export const scanField = (page: Page) => page.getByLabel('Scan', { exact: true });

export async function ready(page: Page, prompt: string | RegExp) {
  await expect(page.locator('#scan-prompt')).toHaveText(prompt);
  await expect(scanField(page)).toBeFocused();
}
