import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getConnection } from '@/db/client';
import { call, request } from '@/server/api/test-support';
import { GET } from './route';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
const v1 = path.resolve(import.meta.dirname, '..');

afterAll(() => getConnection().close());

// Every route file under app/api/v1 as an OpenAPI path: [id] becomes {id}.
function routeFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return routeFiles(p);
    return e.name === 'route.ts' ? [p] : [];
  });
}

function refs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => refs(n, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refs(v, out);
    }
  }
  return out;
}

describe('GET /api/v1/openapi.json', async () => {
  const a = await call(GET, request('GET', '/api/v1/openapi.json'));
  const doc = a.body;

  it('is an OpenAPI 3.1 document served as JSON without a key', () => {
    expect(a.status).toBe(200);
    expect(a.headers.get('content-type')).toContain('application/json');
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const scope of ['stock:read', 'stock:write', 'reservations:write', 'orders:write', 'catalog:read', 'catalog:write']) {
      expect(doc.components.securitySchemes.apiKey.description).toContain(scope);
    }
  });

  it('lists every route handler and method in app/api/v1', async () => {
    const files = routeFiles(v1);
    expect(files.length).toBeGreaterThanOrEqual(8);
    for (const file of files) {
      const route = '/api/v1/' + path.relative(v1, path.dirname(file)).split(path.sep).join('/').replace(/\[(\w+)\]/g, '{$1}');
      const mod = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
      const methods = METHODS.filter((m) => typeof mod[m] === 'function');
      expect(methods.length, route).toBeGreaterThan(0);
      for (const m of methods) expect(doc.paths[route]?.[m.toLowerCase()], `${m} ${route}`).toBeDefined();
    }
  });

  it('describes auth, idempotency, bodies and problems for each operation, and every $ref resolves', () => {
    for (const [route, item] of Object.entries<Record<string, any>>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        const name = `${method.toUpperCase()} ${route}`;
        expect(op.responses, name).toBeDefined();
        const isPublic = Array.isArray(op.security) && op.security.length === 0;
        if (!isPublic) {
          expect(op.security, name).toEqual([{ apiKey: [expect.stringMatching(/^(stock|reservations|orders|catalog):(read|write)$/)] }]);
          expect(op.responses['401'].content['application/problem+json'].schema.$ref, name).toBe('#/components/schemas/Problem');
        }
        if (method === 'post') {
          expect(op.parameters.some((p: { in: string; name: string }) => p.in === 'header' && p.name === 'Idempotency-Key'), name).toBe(true);
        }
      }
    }
    expect(doc.paths['/api/v1/reservations'].post.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/ReservationRequest');
    expect(doc.components.schemas.ReservationRequest.properties.qty).toMatchObject({ type: 'integer', maximum: 1_000_000 });
    expect(doc.components.schemas.MovementRequest.oneOf ?? doc.components.schemas.MovementRequest.anyOf).toHaveLength(4);
    expect(doc.paths['/api/v1/products/{sku}'].put.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/ProductRequest');
    expect(doc.paths['/api/v1/products'].get.responses['200'].content['application/json'].schema.$ref).toBe('#/components/schemas/ProductsPage');
    expect(doc.paths['/api/v1/locations/{warehouse}/{code}'].put.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/LocationRequest');
    expect(doc.paths['/api/v1/locations'].get.responses['200'].content['application/json'].schema.$ref).toBe('#/components/schemas/LocationsPage');
    expect(doc.components.schemas.LocationRequest.properties.kind.enum).toEqual(['receiving', 'storage', 'pick', 'shipping', 'quarantine']);
    const availabilityParams = doc.paths['/api/v1/availability'].get.parameters;
    expect(availabilityParams).toContainEqual(expect.objectContaining({ in: 'query', name: 'sku', schema: expect.objectContaining({ type: 'array', maxItems: 100 }) }));
    for (const ref of refs(doc)) {
      const target = ref.replace(/^#\//, '').split('/').reduce<any>((n, k) => n?.[k], doc);
      expect(target, ref).toBeDefined();
    }
  });
});
