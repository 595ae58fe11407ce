// The environment `npm start` and the tests hand to the app and the sidecar.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const dataDir = () => path.resolve(process.env.ONHAND_DATA_DIR ?? '.data');

// A stable secret for signing sessions, generated once per data directory unless BETTER_AUTH_SECRET is set.
export function authSecret(): string {
  if (process.env.BETTER_AUTH_SECRET) return process.env.BETTER_AUTH_SECRET;
  const file = path.join(dataDir(), 'auth-secret');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir(), { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  return fs.readFileSync(file, 'utf8').trim();
}

export type Ports = { app: number; realtime: number };

export function ports(): Ports {
  return { app: Number(process.env.PORT ?? 3000), realtime: Number(process.env.REALTIME_PORT ?? 3001) };
}

export function appEnv(databaseUrl: string, p: Ports, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: databaseUrl,
    PORT: String(p.app),
    REALTIME_PORT: String(p.realtime),
    ONHAND_URL: process.env.ONHAND_URL ?? `http://localhost:${p.app}`,
    BETTER_AUTH_SECRET: authSecret(),
    NEXT_TELEMETRY_DISABLED: '1',
    ...extra,
  };
}

// Rebuild when any source is newer than the last build.
export function buildIsStale(root = process.cwd()): boolean {
  const buildId = path.join(root, process.env.NEXT_DIST_DIR ?? '.next', 'BUILD_ID');
  if (!fs.existsSync(buildId)) return true;
  const built = fs.statSync(buildId).mtimeMs;
  const newer = (p: string): boolean => {
    if (!fs.existsSync(p)) return false;
    const st = fs.statSync(p);
    if (st.isFile()) return st.mtimeMs > built;
    return fs.readdirSync(p).some((e) => e !== 'node_modules' && !e.startsWith('.') && newer(path.join(p, e)));
  };
  return ['app', 'components', 'lib', 'server', 'db', 'package-lock.json', 'next.config.js', 'app/globals.css'].some((p) => newer(path.join(root, p)));
}

// `next build` reads its configuration at module load but opens no connection: a placeholder database will do.
export function buildEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://build@127.0.0.1:1/build',
    BETTER_AUTH_SECRET: authSecret(),
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
  };
}
