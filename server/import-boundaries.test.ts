// The two processes share code only through modules below both of them: the app does not load the sidecar's code,
// and the sidecar does not load the app's REST layer. Tests are left out: an app test may start a sidecar.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return (fs.readdirSync(path.join(root, dir), { recursive: true }) as string[])
    .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f))
    .map((f) => path.join(dir, f));
}

// Every module a file names (import, export … from, dynamic import), as a path from the repository's root.
function importsOf(file: string): string[] {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  const named = [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]);
  return named.map((n) => (n.startsWith('@/') ? n.slice(2) : n.startsWith('.') ? path.join(path.dirname(file), n) : n));
}

function crossings(from: string, forbidden: string): string[] {
  return sources(from).flatMap((file) => importsOf(file).filter((m) => m.startsWith(forbidden)).map((m) => `${file} → ${m}`));
}

describe('import boundaries', () => {
  it('the app does not import the realtime sidecar', () => {
    expect(sources('app').length).toBeGreaterThan(50);
    expect(crossings('app', 'server/realtime/')).toEqual([]);
  });

  it('the realtime sidecar does not import the REST layer', () => {
    expect(sources('server/realtime').length).toBeGreaterThan(10);
    expect(crossings('server/realtime', 'server/api/')).toEqual([]);
  });

  it('public availability, which both import, imports neither process', () => {
    expect(crossings('server/storefront', 'server/realtime/')).toEqual([]);
    expect(crossings('server/storefront', 'app/')).toEqual([]);
  });

  it('sees the imports it checks', () => {
    expect(importsOf('server/realtime/availability-http.ts')).toContain('server/storefront/availability/answer');
    expect(importsOf('server/realtime/create-realtime.ts')).toContain('server/realtime/availability-http');
  });
});
