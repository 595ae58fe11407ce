// The badge script storefronts load with one tag: built from components/embed/ with esbuild when the sidecar
// starts (a few milliseconds), kept in memory with its gzip form, and served with a long-lived validator.
import { createHash } from 'node:crypto';
import type http from 'node:http';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

export const EMBED_PATH = '/embed/availability.js';
const ENTRY = path.resolve(import.meta.dirname, '../../components/embed/availability-badge.ts');

export type EmbedScript = { js: Buffer; gz: Buffer; etag: string };

export async function buildEmbedScript(): Promise<EmbedScript> {
  const out = await build({
    entryPoints: [ENTRY],
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2019',
    write: false,
    legalComments: 'none',
  });
  const js = Buffer.from(out.outputFiles[0].contents);
  return { js, gz: gzipSync(js, { level: 9 }), etag: `"${createHash('sha256').update(js).digest('base64url').slice(0, 22)}"` };
}

export function serveEmbedScript(script: Promise<EmbedScript>, log: (line: string) => void) {
  script.catch((e) => log(`badge script did not build: ${e instanceof Error ? e.message : e}`));
  return async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const s = await script.catch(() => null);
    if (!s) return res.writeHead(500, { 'Content-Type': 'text/plain' }).end('The badge script did not build; see the sidecar log.');
    // Any page may load it (that is its purpose); what it can then read is decided per channel.
    const headers: Record<string, string> = {
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': 'public, max-age=300',
      ETag: s.etag,
      Vary: 'Accept-Encoding',
      'Access-Control-Allow-Origin': '*',
      'Cross-Origin-Resource-Policy': 'cross-origin',
      'X-Content-Type-Options': 'nosniff',
    };
    if (req.headers['if-none-match'] === s.etag) return res.writeHead(304, headers).end();
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    res.writeHead(200, gzip ? { ...headers, 'Content-Encoding': 'gzip' } : headers);
    res.end(gzip ? s.gz : s.js);
  };
}
