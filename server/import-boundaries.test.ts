// The two processes share code only through modules below both of them (public availability, CORS and rate limits,
// the adapters' middle, the core): the app does not load the sidecar's code, and the sidecar does not load the app's
// REST layer, directly or through anything it imports. db/ loads nothing of the core, and screens load server code only
// as types (the shapes they share live in lib/contracts). Tests are left out: an app test may start a sidecar.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return (fs.readdirSync(path.join(root, dir), { recursive: true }) as string[])
    .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f))
    .map((f) => path.join(dir, f));
}

// Every module a file names (import, export … from, dynamic import), as a path from the repository's root;
// with `valuesOnly`, not the type-only ones (`import type`, `export type`), which vanish from the built code.
function importsOf(file: string, valuesOnly = false): string[] {
  let text = fs.readFileSync(path.join(root, file), 'utf8');
  // A 'use server' module reaches the browser as references to its actions, not as code: nothing past it loads there.
  if (valuesOnly && /^\s*['"]use server['"]/.test(text)) return [];
  if (valuesOnly) text = text.replace(/\b(?:import|export)\s+type\s[^;]*;/g, '');
  const named = [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]);
  return named.map((n) => (n.startsWith('@/') ? n.slice(2) : n.startsWith('.') ? path.join(path.dirname(file), n) : n));
}

// The repository's files a module loads, directly or through others (packages are not followed).
function reach(files: string[], valuesOnly = false): Map<string, string> {
  const seen = new Map<string, string>(files.map((f) => [f, f]));
  const queue = [...files];
  while (queue.length) {
    const file = queue.pop()!;
    for (const m of importsOf(file, valuesOnly)) {
      const target = ['.ts', '.tsx', '/index.ts'].map((ext) => m + ext).find((f) => fs.existsSync(path.join(root, f)));
      if (target && !seen.has(target)) {
        seen.set(target, `${seen.get(file)} → ${target}`);
        queue.push(target);
      }
    }
  }
  return seen;
}

// Each way from the given directory's sources into the forbidden one, as a chain of files.
function crossings(from: string, forbidden: string, valuesOnly = false): string[] {
  return [...reach(sources(from), valuesOnly)].filter(([file]) => file.startsWith(forbidden)).map(([, chain]) => chain);
}

describe('import boundaries', () => {
  it('the app does not load the realtime sidecar', () => {
    expect(sources('app').length).toBeGreaterThan(50);
    expect(crossings('app', 'server/realtime/')).toEqual([]);
  });

  it('the realtime sidecar does not load the REST layer or the app', () => {
    expect(sources('server/realtime').length).toBeGreaterThan(10);
    expect(crossings('server/realtime', 'server/api/')).toEqual([]);
    expect(crossings('server/realtime', 'app/')).toEqual([]);
  });

  it('db/ does not load the core or anything built on it', () => {
    expect(sources('db').length).toBeGreaterThan(3);
    for (const above of ['server/', 'app/', 'components/']) expect(crossings('db', above)).toEqual([]);
  });

  it('screens load server code and the database only as types: at run time they reach contracts and lib alone', () => {
    expect(sources('components').length).toBeGreaterThan(50);
    for (const from of ['components', 'lib']) {
      expect(crossings(from, 'server/', true)).toEqual([]);
      expect(crossings(from, 'db/', true)).toEqual([]);
    }
  });

  it('sees the imports it follows', () => {
    expect(importsOf('components/app-nav.tsx', true)).toContain('lib/contracts/roles');
    expect(importsOf('components/picking/ship-list.tsx', true)).not.toContain('server/inventory');
    expect(importsOf('server/realtime/availability-http.ts')).toContain('server/storefront/availability/answer');
    expect(reach(['server/realtime/create-realtime.ts']).has('server/storefront/availability/etag.ts')).toBe(true);
  });
});
