// Whose request is this: the one place the app, the sidecar and the connector learn a client's address, for rate
// limits and sign-in lockouts. X-Forwarded-For is believed only as far as TRUST_PROXY says, because anyone can
// send one: without a trusted proxy in front, a guesser would pick a fresh "address" for every try.
//
// TRUST_PROXY (off by default):
//   unset, '' or 'off'   trust no proxy: the address is the TCP peer's
//   a number N           N proxies stand in front: skip N hops from the right (the peer, then X-Forwarded-For)
//   a list               addresses and CIDRs ('10.0.0.0/8, 192.168.1.7', 'loopback'): skip hops while they are listed
//
// The TCP peer: plain Node servers (the sidecar, the connector) read it from the socket. Next.js route handlers and
// server actions cannot see the socket, and Next's server fills X-Forwarded-For with it only when the client sent
// none (next/dist/server/base-server.js: `req.headers['x-forwarded-for'] ??= socket.remoteAddress`; the lean /api/v1
// path does the same), so that header proves nothing. The app server (server/http/app-server.ts, which `npm start`,
// `npm run start:app` and the tests run) therefore imports server/http/peer-header.cjs first, which stamps every
// request with PEER_HEADER from the socket, overwriting whatever a client sent. An app started another way (bare
// `next start`) has no peer: with TRUST_PROXY off its address-keyed limits fall back to one shared key, UNIDENTIFIED.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';

export const PEER_HEADER = 'x-onhand-peer';
// Set by peer-header.cjs when it runs in this process: only then is PEER_HEADER ours and not the client's.
const PEER_STAMPED = Symbol.for('onhand.peerHeader');
export const UNIDENTIFIED = 'unidentified';

export type TrustProxy = { kind: 'none' } | { kind: 'hops'; hops: number } | { kind: 'list'; list: BlockList };

export function parseTrustProxy(value: string | undefined): TrustProxy {
  const v = (value ?? '').trim();
  if (!v || v === 'off' || v === 'false' || v === '0') return { kind: 'none' };
  if (/^\d+$/.test(v)) return { kind: 'hops', hops: Number(v) };
  const list = new BlockList();
  for (const raw of v.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (raw === 'loopback') {
      list.addSubnet('127.0.0.0', 8, 'ipv4');
      list.addAddress('::1', 'ipv6');
      continue;
    }
    const [addr, bits] = raw.split('/');
    const family = isIP(addr);
    if (!family) throw new Error(`TRUST_PROXY: "${raw}" is not an address, a CIDR, 'loopback' or a hop count`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) list.addAddress(addr, type);
    else list.addSubnet(addr, Number(bits), type);
  }
  return { kind: 'list', list };
}

let cached: { raw: string | undefined; trust: TrustProxy } | undefined;
export function trustProxy(): TrustProxy {
  const raw = process.env.TRUST_PROXY;
  if (!cached || cached.raw !== raw) cached = { raw, trust: parseTrustProxy(raw) };
  return cached.trust;
}

// '::ffff:10.0.0.1' is the IPv4 peer 10.0.0.1 on a dual-stack socket.
const plain = (a: string) => (a.startsWith('::ffff:') && isIP(a.slice(7)) === 4 ? a.slice(7) : a);

function trusted(list: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

// The client's address from the hop chain: the peer, then X-Forwarded-For from its right end (each proxy appends
// the address it was called from). Stops at the first hop not trusted.
export function addressFrom(peer: string | undefined, forwardedFor: string | null | undefined, trust: TrustProxy = trustProxy()): string {
  const chain = [
    ...(peer ? [plain(peer)] : []),
    ...(forwardedFor ?? '')
      .split(',')
      .map((s) => plain(s.trim()))
      .filter(Boolean)
      .reverse(),
  ];
  if (trust.kind === 'none') return peer ? plain(peer) : UNIDENTIFIED;
  // Without a peer (an app not started by us) the request is taken to have come through the first trusted proxy.
  const offset = peer ? 0 : 1;
  if (trust.kind === 'hops') return chain[Math.min(Math.max(trust.hops - offset, 0), chain.length - 1)] ?? UNIDENTIFIED;
  let i = 0;
  while (i < chain.length - 1 && trusted(trust.list, chain[i])) i++;
  return chain[i] ?? UNIDENTIFIED;
}

// In Next.js route handlers and server actions: the headers of the request.
export function requestAddress(headers: Headers): string {
  const stamped = (globalThis as Record<symbol, unknown>)[PEER_STAMPED] === true;
  return addressFrom(stamped ? headers.get(PEER_HEADER) || undefined : undefined, headers.get('x-forwarded-for'));
}

// The app forwards storefront availability to the sidecar for the client it serves; the sidecar believes the
// client address the app names only with this proof, made from the secret both share (a client cannot make it).
export const FORWARDED_CLIENT_HEADER = 'x-onhand-client';
export const FORWARD_PROOF_HEADER = 'x-onhand-forward-proof';
export const forwardProof = (secret: string, client: string) => createHmac('sha256', secret).update(`onhand forwarded client\n${client}`).digest('base64url');

// In plain Node servers: the socket's peer, the hops TRUST_PROXY allows, or the client our own app vouched for.
export function nodeRequestAddress(req: IncomingMessage, secret = process.env.BETTER_AUTH_SECRET ?? ''): string {
  const vouched = req.headers[FORWARDED_CLIENT_HEADER];
  const proof = req.headers[FORWARD_PROOF_HEADER];
  if (secret && typeof vouched === 'string' && typeof proof === 'string') {
    const want = Buffer.from(forwardProof(secret, vouched));
    const got = Buffer.from(proof);
    if (want.length === got.length && timingSafeEqual(want, got)) return vouched;
  }
  const xff = req.headers['x-forwarded-for'];
  return addressFrom(req.socket.remoteAddress, Array.isArray(xff) ? xff.join(',') : xff);
}
