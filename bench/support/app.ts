// The app (next build + next start, production) and the realtime sidecar on free ports, as `npm start` runs them,
// with a build directory of their own (.next-bench) so a benchmark never rebuilds under a test run's feet.
// And a small keep-alive HTTP client for the load loops.
import fs from 'node:fs';
import http from 'node:http';
import { freePort } from '@/db/provision';
import { appServer, nextBin, run, startChild, stopChild, tsEntry, waitForHttp, type Child } from '@/server/cli/processes';
import { appEnv, buildIsStale } from '@/server/cli/runtime-env';
import { log } from './common';

export type RunningApp = { appUrl: string; realtimeUrl: string; stop: () => Promise<void>; app: Child; sidecar: Child };

const DIST = process.env.NEXT_DIST_DIR ?? '.next-bench';

export async function startApp(databaseUrl: string, opts: { poolSize?: number; profileDir?: string; sidecarProfileDir?: string; env?: Record<string, string> } = {}): Promise<RunningApp> {
  const ports = { app: await freePort(), realtime: await freePort() };
  const env = appEnv(databaseUrl, ports, {
    NODE_ENV: 'production',
    NEXT_DIST_DIR: DIST,
    ONHAND_URL: `http://localhost:${ports.app}`,
    // The limits guard a real deployment from abuse; a benchmark is the abuse, on purpose.
    RATE_LIMIT_KEY_PER_MIN: '100000000',
    RATE_LIMIT_PUBLIC_PER_MIN: '100000000',
    DATABASE_POOL_SIZE: String(opts.poolSize ?? 10),
    ...opts.env,
  });
  process.env.NEXT_DIST_DIR = DIST;
  if (buildIsStale()) {
    log(`building the app into ${DIST}…`);
    // next build adds its build directory's types to tsconfig.json; the benchmark's directory is not the project's.
    const tsconfig = fs.readFileSync('tsconfig.json', 'utf8');
    try {
      if ((await run([nextBin(), 'build'], env)) !== 0) throw new Error('next build failed');
    } finally {
      if (fs.readFileSync('tsconfig.json', 'utf8') !== tsconfig) fs.writeFileSync('tsconfig.json', tsconfig);
    }
  }
  const prof = opts.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.profileDir}`] : [];
  const sidecarProf = opts.sidecarProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.sidecarProfileDir}`] : [];
  const sidecar = startChild('realtime', [...sidecarProf, ...tsEntry('server/realtime/main.ts')], env, { quiet: true });
  const app = startChild('app', [...prof, ...appServer('-p', String(ports.app))], env, { quiet: true });
  const stop = async () => {
    await Promise.all([stopChild(app), stopChild(sidecar)]);
  };
  try {
    await waitForHttp(`http://localhost:${ports.app}/api/health`, 120_000, () => app.proc.exitCode === null);
    await waitForHttp(`http://localhost:${ports.realtime}/health`, 60_000, () => sidecar.proc.exitCode === null);
  } catch (e) {
    await stop();
    throw e;
  }
  return { appUrl: `http://127.0.0.1:${ports.app}`, realtimeUrl: `http://127.0.0.1:${ports.realtime}`, stop, app, sidecar };
}

export type HttpAnswer = { status: number; body: string };

// One keep-alive agent per load loop: each worker holds one socket, as a connection pool of a checkout service would.
export function httpClient(base: string, connections: number) {
  const url = new URL(base);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  const request = (method: string, path: string, headers: Record<string, string> = {}, body?: string) =>
    new Promise<HttpAnswer>((resolve, reject) => {
      const req = http.request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          method,
          path,
          headers: body === undefined ? headers : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  return { request, close: () => agent.destroy() };
}
