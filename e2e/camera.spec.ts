import fs from 'node:fs';
import { devices, test, type Page, type PlaywrightWorkerArgs } from '@playwright/test';
import config from '../playwright.config';
import { products } from '@/db/schema';
import { core, expect, feedback, level, movements, randomEan, ready, scan, signInAs, slow } from './dashboard-fixtures';
import { fakeCamera, gs1DataMatrixFrame, linearFrame } from './camera-feed';

slow();

const c = core();

// A Chromium of its own whose fake camera shows the given frames, its permission prompt answered yes. Debian's
// Chromium has no BarcodeDetector, and it is deleted anyway, so scans go through the WebAssembly decoder, as on an
// iPhone. (Launch options cannot differ between tests of one file, so each test launches its browser.)
async function cameraPage(playwright: PlaywrightWorkerArgs['playwright'], frame: Uint8Array) {
  const file = fakeCamera(frame);
  const base = config.use!.launchOptions!;
  const browser = await playwright.chromium.launch({
    ...base,
    args: [...(base.args ?? []), '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${file}`],
  });
  const context = await browser.newContext({ ...devices['Desktop Chrome'], baseURL: test.info().project.use.baseURL });
  await context.addInitScript(() => delete (window as { BarcodeDetector?: unknown }).BarcodeDetector);
  const page = await context.newPage();
  return { page, close: () => browser.close().finally(() => fs.rmSync(file, { force: true })) };
}

async function productWith(ean: string, label: string) {
  const sku = `E2E-${label}-${ean.slice(-6)}`;
  const name = `Test ${label} ${ean.slice(-6)}`;
  await c.db.insert(products).values({ sku, name, barcodes: [`0${ean}`], lowStockThreshold: 2 });
  return { sku, name, gtin: `0${ean}` };
}

// The decoder as the browser fetches it: its WebAssembly, and the script that loads it (told by its content).
function decoderRequests(page: Page) {
  const seen = { wasm: [] as string[], scripts: 0 };
  page.on('request', (r) => r.url().includes('zxing_reader.wasm') && seen.wasm.push(r.url()));
  page.on('response', async (r) => {
    if (r.request().resourceType() === 'script' && (await r.text().catch(() => '')).includes('zxing_reader')) seen.scripts += 1;
  });
  return seen;
}

test('an EAN-13 held to the camera is received like a wedge scan, the decoder loaded only when the camera is turned on', async ({ playwright }) => {
  const ean = randomEan();
  const p = await productWith(ean, 'CAM');
  const { page, close } = await cameraPage(playwright, linearFrame('ean13', ean));
  try {
    await signInAs(page, 'staff');
    const decoder = decoderRequests(page);
    await page.goto('/receiving/receipt');
    await ready(page, 'Scan a product');
    // Nothing of the decoder until the camera is on: floor pages stay light.
    expect(decoder).toEqual({ wasm: [], scripts: 0 });

    await page.getByRole('button', { name: 'Scan with camera' }).click();
    await expect(page.getByLabel('Camera view')).toBeVisible();
    await expect(feedback(page)).toContainText(`1 × ${p.name} to put away. Scan the put-away bin.`);
    expect(decoder.scripts).toBe(1);
    expect(decoder.wasm).toHaveLength(1);
    expect(new URL(decoder.wasm[0]).pathname).toBe('/scanner/zxing_reader.wasm');
    await page.getByRole('button', { name: 'Stop camera' }).click();
    await expect(page.getByLabel('Camera view')).toHaveCount(0);

    // The wedge scanner finishes what the camera started: one queue.
    await scan(page, 'RECV-01');
    await expect(feedback(page)).toContainText(`Received 1 × ${p.name} into RECV-01.`);
    expect(await level(c, p.sku, 'RECV-01')).toEqual({ onHand: 1, reserved: 0 });
    expect(await movements(c, p.sku)).toMatchObject([{ kind: 'receipt', on_hand_delta: 1, location: 'RECV-01' }]);
  } finally {
    await close();
  }
});

test('a GS1 DataMatrix held to the camera is read by its Application Identifiers: the GTIN names the product, (30) the units', async ({ playwright }) => {
  const ean = randomEan();
  const p = await productWith(ean, 'CAMDM');
  const { page, close } = await cameraPage(playwright, gs1DataMatrixFrame(`(01)0${ean}(10)LOT7(30)5`));
  try {
    await signInAs(page, 'staff');
    await page.goto('/receiving/receipt');
    await ready(page, 'Scan a product');
    await page.getByRole('button', { name: 'Scan with camera' }).click();
    await expect(feedback(page)).toContainText(`5 × ${p.name} to put away. Scan the put-away bin.`);
    await page.getByRole('button', { name: 'Stop camera' }).click();
    await scan(page, 'RECV-01');
    await expect(feedback(page)).toContainText(`Received 5 × ${p.name} into RECV-01.`);
    expect(await level(c, p.sku, 'RECV-01')).toEqual({ onHand: 5, reserved: 0 });
  } finally {
    await close();
  }
});

test('the decoder is served to signed-in users only', async ({ request }) => {
  const res = await request.get('/scanner/zxing_reader.wasm');
  expect(res.status()).toBe(401);
});
