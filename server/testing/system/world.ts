// The data the system suite and the soak run on: one warehouse with receiving, storage, pick and shipping bins,
// a dozen products with opening stock received through the core, an API key with every scope, a staff user.
import { randomBytes } from 'node:crypto';
import type { Connection } from '@/db/client';
import { locations, products, users, warehouses } from '@/db/schema';
import { apiScopes, createApiKey } from '@/server/auth/api-keys';
import type { Actor } from '@/server/inventory/kernel/actor';
import { systemActor } from '@/server/inventory/kernel/actor';
import { receive } from '@/server/inventory/commands/receive';

export type World = {
  warehouse: string;
  warehouseId: number;
  skus: string[];
  productIds: number[];
  // Bins that receive and hold sellable stock; receipts go to these.
  stockBins: string[];
  apiKey: string;
  staff: { id: string; actor: Actor };
};

const BINS: { code: string; kind: 'receiving' | 'storage' | 'pick' | 'shipping'; sellable: boolean }[] = [
  { code: 'RECV', kind: 'receiving', sellable: false },
  { code: 'A-01', kind: 'storage', sellable: true },
  { code: 'A-02', kind: 'storage', sellable: true },
  { code: 'P-01', kind: 'pick', sellable: true },
  { code: 'P-02', kind: 'pick', sellable: true },
  { code: 'SHIP', kind: 'shipping', sellable: false },
];

export async function makeWorld(conn: Connection, opts: { products?: number; openingStock?: number } = {}): Promise<World> {
  const { db } = conn;
  const tag = randomBytes(3).toString('hex').toUpperCase();
  const code = `SYS${tag}`;
  const [wh] = await db.insert(warehouses).values({ code, name: `System suite ${tag}` }).returning();
  await db.insert(locations).values(BINS.map((b) => ({ warehouseId: wh.id, code: b.code, kind: b.kind, sellable: b.sellable })));
  const skus = Array.from({ length: opts.products ?? 12 }, (_, i) => `SYS-${tag}-${String(i).padStart(2, '0')}`);
  const prods = await db
    .insert(products)
    .values(skus.map((sku) => ({ sku, name: `System suite product ${sku}`, lowStockThreshold: 5 })))
    .returning();
  const actor = systemActor('system-suite');
  for (const sku of skus) {
    for (const location of ['A-01', 'P-01']) {
      await receive(db, { sku, warehouse: code, location, qty: opts.openingStock ?? 10, reference: 'opening stock' }, { actor });
    }
  }
  const key = await createApiKey(db, { name: `system suite ${tag}`, scopes: [...apiScopes] }, null);
  const staffId = `u_sys_${tag.toLowerCase()}`;
  await db.insert(users).values({ id: staffId, name: 'System suite picker', email: `${staffId}@onhand.test`, role: 'staff' });
  return {
    warehouse: code,
    warehouseId: wh.id,
    skus,
    productIds: prods.map((p) => p.id),
    stockBins: ['A-01', 'A-02', 'P-01', 'P-02'],
    apiKey: key.secret,
    staff: { id: staffId, actor: { kind: 'user', id: staffId, label: `${staffId}@onhand.test` } },
  };
}
