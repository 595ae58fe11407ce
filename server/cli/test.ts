// `npm test`: unit and integration tests (vitest) on a real PostgreSQL, then the end-to-end tests
// (Playwright in Chromium) against the built app and sidecar on a freshly seeded database, then the system
// suites (two built apps and two sidecars under load while faults are injected, on an embedded PostgreSQL of its
// own, which it restarts; and `npm start` itself, each of its parts killed in turn). DATABASE_URL names a server to use (a fresh database is made on it); otherwise an
// embedded one runs.
//   npm test -- --unit   vitest only        npm test -- --e2e   Playwright only     npm test -- --system   faults only
import { randomBytes } from 'node:crypto';
import { connect } from '@/db/client';
import { migrateDatabase } from '@/db/migrate';
import { createDatabaseIfMissing, databaseUrl, dropDatabase, freePort, scratchServer } from '@/db/provision';
import { seedDemo } from '@/server/cli/demo/seed';
import { nextBin, nextServer, run, startChild, stopChild, tsEntry, waitForHttp, type Child } from './processes';
import { appEnv, buildEnv, buildIsStale } from './runtime-env';

const args = process.argv.slice(2);
const only = args.includes('--unit') ? 'unit' : args.includes('--e2e') ? 'e2e' : args.includes('--system') ? 'system' : 'all';
const passThrough = args.filter((a) => a !== '--unit' && a !== '--e2e' && a !== '--system');
const log = (s: string) => console.log(`[test] ${s}`);

async function main(): Promise<number> {
  if (only === 'system') return system();
  const server = await scratchServer(`.data/test-run-${process.pid}`);
  if (server.embedded) log('embedded PostgreSQL started');
  const adminUrl = server.adminUrl;
  try {
    if (only !== 'e2e') {
      const code = await run(['node_modules/vitest/vitest.mjs', 'run', ...passThrough], { ...process.env, DATABASE_URL: adminUrl });
      if (code !== 0) return code;
    }
    if (only !== 'unit') {
      const code = await e2e(adminUrl);
      if (code !== 0) return code;
    }
  } finally {
    await server.stop();
  }
  return only === 'all' ? system() : 0;
}

// The system suite brings its own PostgreSQL (it stops and starts it as one of its faults) and runs the built app.
async function system(): Promise<number> {
  if (buildIsStale()) {
    log('building the app…');
    if ((await run([nextBin(), 'build'], buildEnv())) !== 0) return 1;
  }
  const extra = only === 'system' ? passThrough : [];
  return run(['node_modules/vitest/vitest.mjs', 'run', '--config', 'vitest.system.config.ts', ...extra], process.env);
}

async function e2e(adminUrl: string): Promise<number> {
  const name = `onhand_e2e_${randomBytes(4).toString('hex')}`;
  await createDatabaseIfMissing(adminUrl, name);
  const url = databaseUrl(adminUrl, name);
  const children: Child[] = [];
  try {
    await migrateDatabase(url);
    const conn = connect(url);
    await seedDemo(conn.db, { products: 200 });
    await conn.close();
    const ports = { app: await freePort(), realtime: await freePort() };
    const shopPort = await freePort();
    const env = appEnv(url, ports, { NODE_ENV: 'production', ONHAND_URL: `http://localhost:${ports.app}` });
    if (buildIsStale()) {
      log('building the app…');
      if ((await run([nextBin(), 'build'], env)) !== 0) return 1;
    }
    children.push(startChild('realtime', tsEntry('server/realtime/main.ts'), env, { quiet: true }));
    children.push(startChild('app', nextServer('start', '-p', String(ports.app)), env, { quiet: true }));
    children.push(startChild('storefront', tsEntry('server/demo-storefront/main.ts'), { ...env, DEMO_STOREFRONT_PORT: String(shopPort) }, { quiet: true }));
    await waitForHttp(`http://localhost:${ports.app}/api/health`, 120_000);
    await waitForHttp(`http://localhost:${ports.realtime}/health`, 30_000);
    await waitForHttp(`http://localhost:${shopPort}/health`, 30_000);
    return await run(['node_modules/@playwright/test/cli.js', 'test', ...passThrough], {
      ...env,
      E2E_BASE_URL: `http://localhost:${ports.app}`,
      E2E_REALTIME_URL: `http://localhost:${ports.realtime}`,
      E2E_STOREFRONT_URL: `http://localhost:${shopPort}`,
    });
  } finally {
    await Promise.all(children.map((c) => stopChild(c)));
    await dropDatabase(adminUrl, name);
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
