// The public storefront namespace under abuse, with real socket.io clients: sockets and watched SKUs per client
// address are capped, and a flood of unknown SKUs costs the database a bounded number of queries (the sidecar's
// own count of every query it sends).
import { randomBytes } from 'node:crypto';
import { io as connectSocket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STOREFRONT_NAMESPACE, type SubscribeResult } from '@/lib/contracts/realtime';
import { metricValue } from '@/server/observability/registry';
import { makeWorld, testConnection, type World } from '@/server/testing/fixtures';
import { LOOKUP_INTERVAL_MS } from './sku-lookup';
import { connected, startSidecar, waitFor, type Sidecar, type StorefrontSocket } from './test-support';

// Visitors come through a proxy on this host, which names each in X-Forwarded-For.
process.env.TRUST_PROXY = 'loopback';

const conn = testConnection();
let sidecar: Sidecar;
let w: World;
const sockets: StorefrontSocket[] = [];
const limits = { socketsPerAddress: 3, skusPerSocket: 4, skusPerAddress: 6 };

beforeAll(async () => {
  w = await makeWorld(conn, { products: 8 });
  sidecar = await startSidecar({ storefrontLimits: limits, productRefreshMs: 600_000 });
  await waitFor(() => w.skus.every((s) => sidecar.realtime.cache.productBySku(s)), 'the products');
});
afterAll(async () => {
  sockets.forEach((s) => s.close());
  await sidecar.close();
  await conn.close();
});

function visitor(address: string): StorefrontSocket {
  const s: StorefrontSocket = connectSocket(`${sidecar.url}${STOREFRONT_NAMESPACE}`, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    extraHeaders: { 'x-forwarded-for': address },
  });
  sockets.push(s);
  return s;
}
const subscribe = (s: StorefrontSocket, skus: string[]): Promise<SubscribeResult> => s.timeout(5000).emitWithAck('subscribe', { skus });

describe('storefront sockets per address', () => {
  it('refuses the connection past the cap from one address, not from another, and again after one closes', async () => {
    const mine = Array.from({ length: limits.socketsPerAddress }, () => visitor('198.51.100.7'));
    await Promise.all(mine.map(connected));
    const extra = visitor('198.51.100.7');
    await expect(connected(extra)).rejects.toThrow('too_many_connections');
    await connected(visitor('198.51.100.8'));
    mine[0].close();
    await waitFor(async () => {
      const again = visitor('198.51.100.7');
      return connected(again).then(
        () => true,
        () => false,
      );
    }, 'a free place');
  });

  it('caps the SKUs one socket and one address watch', async () => {
    const [a, b] = [visitor('198.51.100.20'), visitor('198.51.100.20')];
    await Promise.all([connected(a), connected(b)]);
    const first = await subscribe(a, w.skus.slice(0, 4));
    expect(first).toMatchObject({ ok: true });
    expect(await subscribe(a, [w.skus[4]])).toEqual({ ok: false, error: 'too_many_skus', message: 'At most 4 SKUs per connection.' });
    // The same SKUs again cost nothing; two more reach the address's cap.
    expect(await subscribe(a, w.skus.slice(0, 4))).toMatchObject({ ok: true });
    expect(await subscribe(b, w.skus.slice(4, 6))).toMatchObject({ ok: true });
    expect(await subscribe(b, [w.skus[6]])).toEqual({ ok: false, error: 'too_many_skus', message: 'At most 6 SKUs per address.' });
    // Another address is not held back by this one.
    const other = visitor('198.51.100.21');
    await connected(other);
    expect(await subscribe(other, [w.skus[6]])).toMatchObject({ ok: true });
  });
});

describe('unknown SKUs', () => {
  it('10,000 lookups of random unknown SKUs cost a bounded number of queries, and a real SKU is still found', async () => {
    const queries = () => metricValue(sidecar.realtime.metrics.dbQueries);
    const before = await queries();
    const started = Date.now();
    // 100 visitors, each asking for 100 random SKUs at once (the most a subscribe takes).
    const flood = await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        const s = visitor(`203.0.113.${i}`);
        await connected(s);
        const res = await subscribe(s, Array.from({ length: 100 }, () => `NOPE-${randomBytes(6).toString('hex')}`));
        s.close();
        return res;
      }),
    );
    const elapsed = Date.now() - started;
    expect(flood.every((r) => r.ok && r.items.length === 0 && r.unknown.length === 100)).toBe(true);
    const spent = (await queries()) - before;
    // At most one lookup per interval (and a few reads of channels other test files change meanwhile).
    expect(spent).toBeLessThanOrEqual(Math.ceil(elapsed / LOOKUP_INTERVAL_MS) + 5);
    expect(spent).toBeLessThan(50);
    console.log(`10,000 unknown SKUs in ${elapsed} ms: ${spent} queries`);

    const s = visitor('203.0.113.250');
    await connected(s);
    expect(await subscribe(s, [w.skus[7]])).toMatchObject({ ok: true, items: [{ sku: w.skus[7] }] });
  });
});
