// Client addresses: X-Forwarded-For counts only through proxies TRUST_PROXY names, in the app (through the peer
// our start stamps on each request) and in the sidecar (the socket's peer) alike; a made-up header buys no fresh
// rate-limit bucket.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, testConnection, type World } from '@/server/testing/fixtures';
import { startSidecar, type Sidecar } from '@/server/realtime/test-support';
import { resetRateLimiters } from './rate-limit';
import { addressFrom, FORWARD_PROOF_HEADER, FORWARDED_CLIENT_HEADER, forwardProof, parseTrustProxy, requestAddress, UNIDENTIFIED } from './client-address';

describe('addressFrom', () => {
  const xff = '203.0.113.9, 10.0.0.5, 10.0.0.6';
  it('trusts no proxy by default: the peer, whatever X-Forwarded-For says', () => {
    expect(addressFrom('198.51.100.1', xff, parseTrustProxy(undefined))).toBe('198.51.100.1');
    expect(addressFrom('::ffff:198.51.100.1', xff, parseTrustProxy('off'))).toBe('198.51.100.1');
    expect(addressFrom(undefined, xff, parseTrustProxy(''))).toBe(UNIDENTIFIED);
  });

  it('a hop count skips that many proxies from the right', () => {
    expect(addressFrom('10.0.0.7', xff, parseTrustProxy('1'))).toBe('10.0.0.6');
    expect(addressFrom('10.0.0.7', xff, parseTrustProxy('3'))).toBe('203.0.113.9');
    expect(addressFrom('10.0.0.7', xff, parseTrustProxy('9'))).toBe('203.0.113.9');
    // No peer known (an app not started by us): the request is taken to come through the first proxy.
    expect(addressFrom(undefined, xff, parseTrustProxy('1'))).toBe('10.0.0.6');
  });

  it('a list skips only the listed proxies, so a client cannot hide behind addresses it writes itself', () => {
    const trust = parseTrustProxy('10.0.0.0/8, loopback');
    expect(addressFrom('127.0.0.1', xff, trust)).toBe('203.0.113.9');
    expect(addressFrom('127.0.0.1', '203.0.113.9, 198.51.100.4, 10.0.0.6', trust)).toBe('198.51.100.4');
    expect(addressFrom('198.51.100.1', xff, trust)).toBe('198.51.100.1');
    expect(() => parseTrustProxy('not-an-address')).toThrow(/TRUST_PROXY/);
  });
});

describe("the app's peer, stamped by our start", () => {
  let server: http.Server;
  let seen: Headers | undefined;
  beforeAll(async () => {
    // What `npm start` preloads into the app (node --require).
    createRequire(import.meta.url)('./peer-header.cjs');
    server = http.createServer((req, res) => {
      seen = new Headers(Object.entries(req.headers).map(([k, v]): [string, string] => [k, String(v)]));
      res.end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('overwrites a peer header the client sent and ignores its X-Forwarded-For', async () => {
    const port = (server.address() as AddressInfo).port;
    await fetch(`http://127.0.0.1:${port}/`, { headers: { 'x-onhand-peer': '6.6.6.6', 'x-forwarded-for': '7.7.7.7' } });
    expect(seen?.get('x-onhand-peer')).toBe('127.0.0.1');
    expect(requestAddress(seen!)).toBe('127.0.0.1');
  });
});

describe("the sidecar's availability limit", () => {
  const conn = testConnection(2);
  let w: World;
  let sidecar: Sidecar;
  beforeAll(async () => {
    w = await makeWorld(conn, { products: 1 });
    process.env.RATE_LIMIT_PUBLIC_PER_MIN = '3';
    resetRateLimiters();
    sidecar = await startSidecar();
  });
  afterAll(async () => {
    await sidecar.close();
    await conn.close();
    delete process.env.RATE_LIMIT_PUBLIC_PER_MIN;
    delete process.env.TRUST_PROXY;
    resetRateLimiters();
  });
  const ask = (headers: Record<string, string>) => fetch(`${sidecar.url}/api/v1/availability?sku=${encodeURIComponent(w.skus[0])}`, { headers }).then((r) => r.status);

  it('counts a made-up X-Forwarded-For as the peer it came from, believes the app it shares the secret with, and a listed proxy', async () => {
    const secret = process.env.BETTER_AUTH_SECRET ?? (process.env.BETTER_AUTH_SECRET = 'test-secret-test-secret-test-secret-0123');
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push(await ask({ 'x-forwarded-for': `192.0.2.${i}` }));
    expect(statuses).toEqual([200, 200, 200, 429]);
    // The app forwarding for a visitor names it with proof; a client's own claim without it changes nothing.
    expect(await ask({ [FORWARDED_CLIENT_HEADER]: '198.51.100.20', [FORWARD_PROOF_HEADER]: forwardProof(secret, '198.51.100.20') })).toBe(200);
    expect(await ask({ [FORWARDED_CLIENT_HEADER]: '198.51.100.21', [FORWARD_PROOF_HEADER]: forwardProof('another secret, another secret!!', '198.51.100.21') })).toBe(429);
    // A proxy on this host, when TRUST_PROXY lists it, names the visitor.
    process.env.TRUST_PROXY = 'loopback';
    expect(await ask({ 'x-forwarded-for': '198.51.100.30' })).toBe(200);
  });
});
