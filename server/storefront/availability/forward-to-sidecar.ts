// The app's way to the sidecar's availability answer: the request forwarded as it came (origin, validators and
// the client's address, vouched for), and the answer passed back as it is, unless the sidecar has none to give.
import http from 'node:http';
import https from 'node:https';
import { FORWARD_PROOF_HEADER, FORWARDED_CLIENT_HEADER, forwardProof, requestAddress } from '@/server/http/client-address';
import { AVAILABILITY_PATH } from './query';

const SIDECAR_TIMEOUT_MS = 2000;

const sidecarUrl = () => process.env.REALTIME_INTERNAL_URL ?? `http://127.0.0.1:${process.env.REALTIME_PORT ?? 3001}`;

// Kept-alive connections to the sidecar: a forward costs one write and one read, not a TCP handshake. Plain node:http
// rather than fetch, whose per-call cost (and Next's wrapper around it) is most of a forward's time.
const agents = { http: new http.Agent({ keepAlive: true, maxSockets: 64 }), https: new https.Agent({ keepAlive: true, maxSockets: 64 }) };
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'date']);

// The sidecar's answer, or null when it has none to give (not reachable, or 503 while it catches up).
export async function fromSidecar(request: Request): Promise<Response | null> {
  // The sidecar limits by client: name ours, with proof that the app (not the client) names it.
  const client = requestAddress(request.headers);
  const headers: Record<string, string> = {
    [FORWARDED_CLIENT_HEADER]: client,
    [FORWARD_PROOF_HEADER]: forwardProof(process.env.BETTER_AUTH_SECRET ?? '', client),
  };
  for (const h of ['origin', 'if-none-match', 'access-control-request-method']) {
    const v = request.headers.get(h);
    if (v) headers[h] = v;
  }
  const target = new URL(`${AVAILABILITY_PATH}${new URL(request.url).search}`, sidecarUrl());
  const secure = target.protocol === 'https:';
  try {
    const answer = await new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      const req = (secure ? https : http).request(
        target,
        { method: request.method, headers, agent: secure ? agents.https : agents.http, timeout: SIDECAR_TIMEOUT_MS },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error('the sidecar did not answer in time')));
      req.on('error', reject);
      req.end();
    });
    if (answer.status === 503) return null;
    const out = new Headers();
    for (const [k, v] of Object.entries(answer.headers)) {
      if (v === undefined || HOP_BY_HOP.has(k)) continue;
      for (const one of Array.isArray(v) ? v : [v]) out.append(k, one);
    }
    return new Response(answer.status === 204 || answer.status === 304 ? null : new Uint8Array(answer.body), { status: answer.status, headers: out });
  } catch {
    return null;
  }
}
