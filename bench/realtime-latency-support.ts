// The realtime benchmark's world (one warehouse, sellable bins, products) and what its processes tell each other.
import type { Db } from '@/db/client';
import { locations, products, warehouses } from '@/db/schema';

export type BenchWorld = { code: string; warehouseId: number; bins: string[]; skus: string[] };

export async function makeBenchWorld(db: Db, opts: { products: number; bins: number }): Promise<BenchWorld> {
  const code = 'BENCH';
  const [wh] = await db.insert(warehouses).values({ code, name: 'Benchmark warehouse' }).returning();
  const bins = Array.from({ length: opts.bins }, (_, i) => `A-${String(i + 1).padStart(2, '0')}`);
  await db.insert(locations).values(bins.map((b) => ({ warehouseId: wh.id, code: b, kind: 'storage' as const, sellable: true })));
  const skus = Array.from({ length: opts.products }, (_, i) => `BENCH-${String(i + 1).padStart(3, '0')}`);
  // A threshold no figure reaches: every adjustment moves `available`, so every one reaches the storefront.
  await db.insert(products).values(skus.map((sku) => ({ sku, name: `Bench ${sku}`, lowStockThreshold: 0 })));
  return { code, warehouseId: wh.id, bins, skus };
}

// What the orchestrator tells a client process, and what it answers (latencies as base64 Float64Arrays,
// since hundreds of thousands of numbers are too many for JSON over IPC).
// One single-use token per staff socket (the sidecar refuses a token it has seen).
export type ClientsConfig = { url: string; tokens: string[]; warehouseId: number; skus: string[]; staff: number; storefront: number };
export type CommitTimes = { sent: Record<string, number>; acked: Record<string, number>; skuSent: Record<string, number>; skuAcked: Record<string, number> };
export type ClientsResult = {
  type: 'result';
  staffDeliveries: number;
  staffFromAck: string;
  staffFromSent: string;
  shopFromAck: string;
  shopFromSent: string;
};

export const encodeFloats = (xs: number[]) => Buffer.from(new Float64Array(xs).buffer).toString('base64');
export function decodeFloats(s: string): number[] {
  // Copied into a fresh buffer: a pooled Buffer's offset need not be 8-byte aligned.
  return [...new Float64Array(new Uint8Array(Buffer.from(s, 'base64')).buffer)];
}
