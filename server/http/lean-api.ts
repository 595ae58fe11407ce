// The lean /api/v1 path: the app server (app-server.ts) hands a request for a route file's path and one of the
// methods it exports straight to that handler, without Next's router and render pipeline (1–3 ms of CPU a
// request). The handlers are the very route modules Next serves (app/api/v1/**/route.ts), so authentication, rate
// limits, problem+json answers, X-Request-Id, CORS and metrics are theirs, unchanged. What Next itself adds around
// a route handler is added here the same way, from the build's own files as `next start` reads them: the headers of
// next.config.js, its compression (gzip when the client accepts it), its Vary, the x-forwarded-* request headers, and
// its rules for copying the Response's headers. Anything else under /api/v1 (a path no route has, a method a route does not export: HEAD and
// OPTIONS Next answers itself, 405 otherwise) goes on to Next, so those answers stay Next's own.
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Duplex } from 'node:stream';
import { logger } from '@/server/observability/log';
import { API_PREFIX, loadApiRoutes, matchApiRoute, type ApiRoute, type HttpMethod } from './api-routes';
import { sendWebResponse, webRequest } from './node-web';

type HeaderRule = { regex: RegExp; headers: { key: string; value: string }[] };

export type LeanApi = {
  routes: ApiRoute[];
  // Serves the request and resolves true, or leaves it untouched and answers false (then it is Next's).
  serve: (req: IncomingMessage, res: ServerResponse) => Promise<boolean> | false;
};

const log = logger({ log: 'api' });
const require = createRequire(import.meta.url);
const ignore = () => {};

type Middleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

// What Next adds to every app route's answer (next/dist/server/base-server.js, setVaryHeader): its client router's
// request headers, so a cache never hands a page's RSC payload for its HTML or the other way round.
const NEXT_VARY = 'rsc, next-router-state-tree, next-router-prefetch, next-router-segment-prefetch';

// The settings of the build that change how an answer is framed; the lean path matches Next only without a base
// path or locales in the URL, which Onhand does not use.
function buildConfig(distDir: string): { compress: boolean } {
  const { config } = JSON.parse(fs.readFileSync(path.join(distDir, 'required-server-files.json'), 'utf8')) as {
    config: { compress?: boolean; basePath?: string; i18n?: unknown; trailingSlash?: boolean };
  };
  if (config.basePath || config.i18n || config.trailingSlash) {
    throw new Error('next.config.js sets basePath, i18n or trailingSlash, which the lean /api/v1 path does not follow (server/http/lean-api.ts)');
  }
  return { compress: config.compress !== false };
}

// Next's own compression middleware, as its router applies it to every request (next/dist/server/lib/router-server.js),
// with its clean-up for a client that leaves mid-answer.
function compression(): Middleware {
  const make = require('next/dist/compiled/compression') as () => Middleware;
  const middleware = make();
  return (req, res, next) => {
    middleware(req, res, next);
    res.once('close', () => {
      if (res.writableFinished) return;
      const stream = res.on('drain', ignore) as unknown;
      res.off('drain', ignore);
      if (stream !== res && stream instanceof Duplex) stream.destroy();
    });
  };
}

// next.config.js's headers() as the build compiled them (routes-manifest.json: each rule's source as a regex).
export function configHeaderRules(distDir: string): HeaderRule[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(distDir, 'routes-manifest.json'), 'utf8')) as {
    headers?: { source: string; regex: string; headers: { key: string; value: string }[]; has?: unknown; missing?: unknown }[];
  };
  return (manifest.headers ?? []).map((rule) => {
    // Conditions on the request and :param values need Next's own matcher; none of our rules has them.
    if (rule.has || rule.missing || rule.headers.some((h) => /:[A-Za-z_]/.test(`${h.key}${h.value.replace(/https?:\/\//g, '')}`))) {
      throw new Error(`next.config.js header rule "${rule.source}" uses has/missing or :params, which the lean /api/v1 path does not apply (server/http/lean-api.ts)`);
    }
    return { regex: new RegExp(rule.regex), headers: rule.headers };
  });
}

export async function createLeanApi(opts: { distDir: string; port: number; hostname?: string }): Promise<LeanApi> {
  const routes = await loadApiRoutes();
  const rules = configHeaderRules(opts.distDir);
  const compress = buildConfig(opts.distDir).compress ? compression() : null;

  const serve = (req: IncomingMessage, res: ServerResponse): Promise<boolean> | false => {
    const url = req.url ?? '';
    if (!url.startsWith(`${API_PREFIX}/`)) return false;
    const q = url.indexOf('?');
    const pathname = q === -1 ? url : url.slice(0, q);
    const match = matchApiRoute(routes, pathname);
    const handler = match?.route.methods[(req.method ?? 'GET') as HttpMethod];
    if (!match || !handler) return false;
    return (async () => {
      // A client that resets the connection makes these emit 'error': without a listener that would end the process.
      req.on('error', ignore);
      res.on('error', ignore);
      compress?.(req, res, ignore);
      for (const rule of rules) if (rule.regex.test(pathname)) for (const h of rule.headers) res.setHeader(h.key, h.value);
      res.appendHeader('vary', NEXT_VARY);
      delete req.headers['next-url'];
      forwardedHeaders(req, opts.port, opts.hostname);
      let response: Response;
      try {
        response = await handler(webRequest(req, res), { params: Promise.resolve(match.params) });
      } catch (e) {
        // The handlers turn every failure into problem+json; one that still throws gets Next's bare 500.
        log.error({ err: e, method: req.method, path: pathname }, 'route handler threw');
        if (!res.headersSent) res.statusCode = 500;
        res.end();
        return true;
      }
      await sendWebResponse(req, res, response);
      return true;
    })();
  };
  return { routes, serve };
}

// As Next fills them in before any handler runs (next/dist/server/base-server.js), so a handler reads the same
// headers whichever path served it; a client's own values stay (TRUST_PROXY decides what they are worth).
function forwardedHeaders(req: IncomingMessage, port: number, hostname?: string) {
  const proto = req.headers['x-forwarded-proto'];
  const https = proto ? proto === 'https' : 'encrypted' in req.socket && !!req.socket.encrypted;
  req.headers['x-forwarded-host'] ??= req.headers.host ?? hostname;
  req.headers['x-forwarded-port'] ??= port ? String(port) : https ? '443' : '80';
  req.headers['x-forwarded-proto'] ??= https ? 'https' : 'http';
  req.headers['x-forwarded-for'] ??= req.socket.remoteAddress;
}
