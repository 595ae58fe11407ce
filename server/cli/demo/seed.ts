// Demo data for `npm run seed` and the first `npm start`: stock is created through the core's receive
// command, so the ledger and the levels agree from the first row.
import { randomUUID } from 'node:crypto';
import { hashPassword } from 'better-auth/crypto';
import { and, desc, eq, gte, inArray, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { accounts, locations, productSuppliers, products, purchaseOrderLines, purchaseOrders, stockLevels, suppliers, users, warehouses } from '@/db/schema';
import { demoPassword, demoProducts, demoUsers, rng } from './seed-data';
import { historyClock, seedHistory } from './seed-history';
import { systemActor } from '@/server/inventory/kernel/actor';
import { allocateOrder } from '@/server/inventory/commands/allocate-order';
import { receive } from '@/server/inventory/commands/receive';

export async function isEmpty(db: Db): Promise<boolean> {
  return (await db.$count(warehouses)) === 0 && (await db.$count(users)) === 0;
}

export async function seedUsers(db: Db) {
  const password = await hashPassword(demoPassword);
  for (const u of demoUsers) {
    const id = randomUUID();
    const [row] = await db.insert(users).values({ id, email: u.email, name: u.name, role: u.role, emailVerified: true }).onConflictDoNothing().returning();
    if (row) await db.insert(accounts).values({ id: randomUUID(), accountId: id, providerId: 'credential', userId: id, password });
  }
}

const warehouseSpecs = [
  { code: 'MAIN', name: 'Main warehouse' },
  { code: 'EAST', name: 'East depot' },
];

function binsFor(): { code: string; kind: 'receiving' | 'storage' | 'pick' | 'shipping' | 'quarantine'; sellable: boolean }[] {
  const bins: ReturnType<typeof binsFor> = [
    { code: 'RECV-01', kind: 'receiving', sellable: false },
    { code: 'SHIP-01', kind: 'shipping', sellable: false },
    { code: 'QA-01', kind: 'quarantine', sellable: false },
  ];
  for (let aisle = 1; aisle <= 2; aisle++)
    for (let slot = 1; slot <= 6; slot++) bins.push({ code: `P-${pad(aisle)}-${pad(slot)}`, kind: 'pick', sellable: true });
  for (let aisle = 1; aisle <= 3; aisle++)
    for (let slot = 1; slot <= 5; slot++) bins.push({ code: `A-${pad(aisle)}-${pad(slot)}`, kind: 'storage', sellable: true });
  return bins;
}
const pad = (n: number) => String(n).padStart(2, '0');
// The demo's pick path walks bins by code, as the pick list did before bins had a pick order.
const pathOrder = <B extends { code: string }>(bins: B[]) => [...bins].sort((a, b) => (a.code < b.code ? -1 : 1)).map((b, n) => ({ ...b, pickOrder: n + 1 }));

export async function seedDemo(db: Db, opts: { products?: number; log?: (s: string) => void } = {}) {
  const log = opts.log ?? (() => {});
  const random = rng(7);
  await seedUsers(db);
  const whs = await db.insert(warehouses).values(warehouseSpecs).returning();
  const locs = await db
    .insert(locations)
    .values(whs.flatMap((w) => pathOrder(binsFor()).map((b) => ({ ...b, warehouseId: w.id }))))
    .returning();
  const catalogue = demoProducts(opts.products ?? 500);
  await db.insert(products).values(
    catalogue.map((p) => ({ sku: p.sku, name: p.name, barcodes: [p.gtin], lowStockThreshold: p.threshold, reorderQty: p.reorderQty, leadTimeDays: p.leadTimeDays })),
  );
  log(`seed: ${whs.length} warehouses, ${locs.length} locations, ${catalogue.length} products`);

  // Each product lives in one pick bin and maybe a storage bin, in one or both warehouses; about one in
  // ten is kept under its threshold so the alerts have something to say.
  const receipts: Parameters<typeof receive>[1][] = [];
  for (const p of catalogue) {
    const scarce = random() < 0.1;
    for (const w of whs) {
      if (w.code === 'EAST' && random() < 0.5) continue;
      const bins = locs.filter((l) => l.warehouseId === w.id);
      const pick = bins.filter((l) => l.kind === 'pick')[Math.floor(random() * 12)];
      const storage = bins.filter((l) => l.kind === 'storage')[Math.floor(random() * 15)];
      const qty = scarce ? Math.floor(random() * p.threshold) : p.threshold + 5 + Math.floor(random() * 60);
      if (qty > 0) receipts.push({ sku: p.sku, warehouse: w.code, location: pick.code, qty, reference: 'opening-stock' });
      if (!scarce && random() < 0.6) {
        receipts.push({ sku: p.sku, warehouse: w.code, location: storage.code, qty: 24 + Math.floor(random() * 96), reference: 'opening-stock' });
      }
    }
  }
  const actor = systemActor('seed');
  // Opening stock is dated before the history that follows it, so charts replay it in order.
  const now = Date.now();
  await pool(receipts, 6, (r) => receive(db, r, { actor, now: historyClock(now).opening }));
  log(`seed: ${receipts.length} receipts through the ledger`);
  const vendors = await seedSuppliers(db, catalogue.map((p) => p.sku));
  await seedHistory(db, { now, log });

  // Open purchase orders for a few of the scarce products, from the demo's suppliers.
  const main = whs.find((w) => w.code === 'MAIN')!;
  const allProducts = await db.select({ id: products.id, sku: products.sku }).from(products).orderBy(products.id);
  for (let i = 1; i <= 4; i++) {
    const [po] = await db
      .insert(purchaseOrders)
      .values({ reference: `PO-${1000 + i}`, warehouseId: main.id, supplier: vendors[i - 1].name, supplierId: vendors[i - 1].id, expectedAt: new Date(Date.now() + i * 2 * 86_400_000).toISOString().slice(0, 10) })
      .returning();
    const lines = Array.from({ length: 3 + i }, (_, k) => allProducts[(i * 37 + k * 11) % allProducts.length]);
    await db.insert(purchaseOrderLines).values(lines.map((p) => ({ purchaseOrderId: po.id, productId: p.id, qtyExpected: 12 * (1 + Math.floor(random() * 6)) })));
  }
  log('seed: 4 suppliers, 4 open purchase orders');

  // A few allocated orders through the core, so the pick lists have work on first start.
  const stocked = await db
    .select({ sku: products.sku })
    .from(stockLevels)
    .innerJoin(products, eq(products.id, stockLevels.productId))
    .innerJoin(locations, eq(locations.id, stockLevels.locationId))
    .where(and(eq(locations.warehouseId, main.id), eq(locations.kind, 'pick'), gte(sql`${stockLevels.onHand} - ${stockLevels.reserved}`, 10)))
    .orderBy(desc(stockLevels.onHand), products.sku)
    .limit(12);
  let orders = 0;
  for (let i = 0; i < 5 && stocked.length >= 3; i++) {
    const lines = Array.from({ length: 1 + (i % 3) }, (_, k) => ({ sku: stocked[(i * 2 + k) % stocked.length].sku, qty: 1 + Math.floor(random() * 3) }));
    await allocateOrder(db, { reference: `SO-${2001 + i}`, channel: 'web', lines }, { actor });
    orders++;
  }
  log(`seed: ${orders} allocated orders to pick`);
}

async function pool<T>(items: T[], size: number, fn: (item: T) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

// Four suppliers, each the preferred one of a quarter of the catalogue (packs of 1, 6, 12 or 24), so the alerts
// page's suggestions become purchase orders. Before the history, which shapes demand by the same lead time rule.
async function seedSuppliers(db: Db, skus: string[]) {
  const allProducts = await db.select({ id: products.id, sku: products.sku }).from(products).where(inArray(products.sku, skus)).orderBy(products.id);
  const vendors = await db
    .insert(suppliers)
    .values(['Nordic Goods', 'Harbour Supply', 'Kiln & Co', 'Loom Textiles'].map((name, i) => ({ name, email: `orders@${name.toLowerCase().replace(/[^a-z]+/g, '')}.example`, leadTimeDays: [5, 10, 14, 21][i] })))
    .returning();
  await db.insert(productSuppliers).values(
    allProducts.map((p, k) => ({
      productId: p.id,
      supplierId: vendors[k % 4].id,
      supplierSku: `${vendors[k % 4].name.slice(0, 2).toUpperCase()}-${p.sku}`,
      packSize: [1, 6, 12, 24][k % 4],
      minOrderQty: [1, 6, 12, 24][k % 4],
      unitCostCents: 150 + ((k * 37) % 2000),
      preferred: true,
    })),
  );
  return vendors;
}
