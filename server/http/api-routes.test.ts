// The lean /api/v1 path serves what Next serves: every route file under app/api/v1, at its folder's path, with
// every method it exports; anything else is left to Next.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { HTTP_METHODS, loadApiRoutes, matchApiRoute, parseSegment, type ApiRoute } from './api-routes';

const dir = path.resolve('app/api/v1');
let routes: ApiRoute[];
beforeAll(async () => {
  routes = await loadApiRoutes(dir);
});

// Read from the files' text, not through the loader: what Next would serve for each route file.
function declared(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const p = path.posix.join(rel, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === 'route.ts') {
        const text = fs.readFileSync(path.join(dir, p), 'utf8');
        const methods = HTTP_METHODS.filter((m) => new RegExp(`^export (const|async function|function) ${m}\\b`, 'm').test(text));
        found.set(`/api/v1/${path.posix.dirname(p)}`, methods);
      }
    }
  };
  walk('');
  return found;
}

describe('the lean /api/v1 route table', () => {
  it('has every route file under app/api/v1 at its folder path, with every method the file exports', () => {
    const files = declared();
    expect(files.size).toBeGreaterThanOrEqual(17);
    const table = new Map(routes.map((r) => [r.pattern, Object.keys(r.methods).sort()]));
    expect(table).toEqual(new Map([...files].map(([p, m]) => [p, [...m].sort()])));
    for (const r of routes) expect(Object.keys(r.methods).length, r.pattern).toBeGreaterThan(0);
  });

  it('matches paths as Next does: parameters decoded, a static segment before a parameter', () => {
    const cancel = matchApiRoute(routes, '/api/v1/orders/4a5e/cancel');
    expect(cancel?.route.pattern).toBe('/api/v1/orders/[id]/cancel');
    expect(cancel?.params).toEqual({ id: '4a5e' });
    expect(matchApiRoute(routes, '/api/v1/orders/4a5e')?.route.pattern).toBe('/api/v1/orders/[id]');
    expect(matchApiRoute(routes, '/api/v1/orders')?.route.pattern).toBe('/api/v1/orders');
    const product = matchApiRoute(routes, '/api/v1/products/LAMP%2FBLUE%20XL');
    expect(product).toMatchObject({ route: { pattern: '/api/v1/products/[sku]' }, params: { sku: 'LAMP/BLUE XL' } });
    expect(matchApiRoute(routes, '/api/v1/products/LAMP-1/archive')?.params).toEqual({ sku: 'LAMP-1' });
    expect(matchApiRoute(routes, '/api/v1/locations/MAIN/A-01')?.params).toEqual({ warehouse: 'MAIN', code: 'A-01' });
    expect(matchApiRoute(routes, '/api/v1/openapi.json')?.route.pattern).toBe('/api/v1/openapi.json');
  });

  it("leaves to Next what is not exactly a route's path: unknown paths, trailing or doubled slashes, bad escapes", () => {
    for (const p of ['/api/v1/nope', '/api/v1/stock/', '/api/v1//stock', '/api/v1', '/api/v1/', '/api/v1/Stock', '/api/v1/products/%E0%A4%A', '/api/v2/stock', '/api/health']) {
      expect(matchApiRoute(routes, p), p).toBeNull();
    }
  });

  it('refuses at start a folder convention it cannot match like Next (so one is never served wrongly)', () => {
    for (const f of ['[...slug]', '[[...slug]]', '(group)', '@slot', '(.)intercept', '_private']) expect(() => parseSegment(f), f).toThrow(/convention/);
    expect(parseSegment('[sku]')).toEqual({ kind: 'param', name: 'sku' });
    expect(parseSegment('openapi.json')).toEqual({ kind: 'static', value: 'openapi.json' });
  });
});
