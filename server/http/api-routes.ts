// The /api/v1 route table of the lean path (server/http/app-server.ts), read from the app/api/v1 folder itself at
// start: every route.ts is one entry, its path the folder's path ([name] is a parameter, as Next reads it), its
// methods the HTTP-method functions it exports. Nothing to keep in step by hand: a new route file or method is served
// by both Next and the lean path, and a folder shape the lean path cannot match like Next stops the start.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RouteHandler } from '@/server/api/api-route';

export const API_PREFIX = '/api/v1';
export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

type Segment = { kind: 'static'; value: string } | { kind: 'param'; name: string };

export type ApiRoute = {
  // As Next writes it: '/api/v1/orders/[id]/cancel'.
  pattern: string;
  file: string;
  segments: Segment[];
  methods: Partial<Record<HttpMethod, RouteHandler>>;
};

export type ApiMatch = { route: ApiRoute; params: Record<string, string> };

// Next's folder conventions that a plain segment match would get wrong. Route groups, slots, catch-alls and
// intercepting routes need Next's router: teach parseSegment about them before using one under app/api/v1.
export function parseSegment(folder: string): Segment {
  if (/^\[[A-Za-z_$][\w$]*\]$/.test(folder)) return { kind: 'param', name: folder.slice(1, -1) };
  if (/[[\]()@]/.test(folder) || folder.startsWith('_')) {
    throw new Error(`app/api/v1: the folder "${folder}" is a Next.js convention the lean /api/v1 path does not match (server/http/api-routes.ts)`);
  }
  return { kind: 'static', value: folder };
}

// Every route.ts under dir, as paths relative to it ('orders/[id]/route.ts').
export function routeFiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const next = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(next);
      else if (e.name === 'route.ts') found.push(next);
    }
  };
  walk('');
  return found.sort();
}

export const patternOf = (file: string) => [API_PREFIX, ...path.posix.dirname(file).split('/').filter((s) => s !== '.')].join('/');

// Loads every route module (through the same imports Next compiles them from) and orders the table so a static
// segment wins over a parameter at the same place, as Next's router does.
export async function loadApiRoutes(dir = path.resolve('app/api/v1')): Promise<ApiRoute[]> {
  const routes = await Promise.all(
    routeFiles(dir).map(async (file): Promise<ApiRoute> => {
      const folders = path.posix.dirname(file).split('/').filter((s) => s !== '.');
      const segments = folders.map(parseSegment);
      const mod = (await import(pathToFileURL(path.join(dir, file)).href)) as Record<string, unknown>;
      const methods: ApiRoute['methods'] = {};
      for (const m of HTTP_METHODS) if (typeof mod[m] === 'function') methods[m] = mod[m] as RouteHandler;
      return { pattern: patternOf(file), file, segments, methods };
    }),
  );
  const rank = (r: ApiRoute) => r.segments.map((s) => (s.kind === 'static' ? '0' : '1')).join('');
  return routes.sort((a, b) => a.segments.length - b.segments.length || rank(a).localeCompare(rank(b)));
}

// The route for a pathname under /api/v1 and its parameters (decoded, as Next hands them over), or null: then the
// request is Next's (a path no route file has, a trailing slash Next redirects, an encoding it refuses).
export function matchApiRoute(routes: ApiRoute[], pathname: string): ApiMatch | null {
  if (!pathname.startsWith(`${API_PREFIX}/`)) return null;
  const parts = pathname.slice(API_PREFIX.length + 1).split('/');
  if (parts.some((p) => p === '')) return null;
  for (const route of routes) {
    if (route.segments.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; ok && i < parts.length; i++) {
      const s = route.segments[i];
      if (s.kind === 'static') ok = s.value === parts[i];
      else {
        try {
          params[s.name] = decodeURIComponent(parts[i]);
        } catch {
          return null;
        }
      }
    }
    if (ok) return { route, params };
  }
  return null;
}
