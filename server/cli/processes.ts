// Child processes for `npm start` and the test runner: started with a name, stopped together.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

export const nextBin = () => require.resolve('next/dist/bin/next');
// Runs a TypeScript entry point in a plain node process, so signals reach it directly.
export const tsEntry = (file: string) => ['--import', 'tsx', file];
// The app's server (server/http/app-server.ts): the built app through Next.js, /api/v1 through the lean path, every
// request stamped with its TCP peer; `--dev` for `next dev`. Takes -p PORT and -H HOSTNAME.
export const appServer = (...args: string[]) => tsEntry(path.resolve('server/http/app-server.ts')).concat(args);

export type Exit = { code: number | null; signal: NodeJS.Signals | null };
export type Child = { name: string; proc: ChildProcess; exited: Promise<Exit> };

export function startChild(name: string, args: string[], env: NodeJS.ProcessEnv, opts: { quiet?: boolean } = {}): Child {
  const proc = spawn(process.execPath, args, { env, stdio: ['ignore', opts.quiet ? 'ignore' : 'inherit', 'inherit'] });
  const exited = new Promise<Exit>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  return { name, proc, exited };
}

// For a log line: "code 1", "signal SIGKILL".
export const describeExit = (e: Exit) => (e.signal ? `signal ${e.signal}` : `code ${e.code}`);

export async function stopChild(child: Child, graceMs = 8000) {
  if (child.proc.exitCode !== null || child.proc.signalCode !== null) return;
  child.proc.kill('SIGTERM');
  const timer = setTimeout(() => child.proc.kill('SIGKILL'), graceMs);
  await child.exited;
  clearTimeout(timer);
}

export async function waitForHttp(url: string, timeoutMs = 120_000, alive?: () => boolean) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (alive && !alive()) throw new Error(`the process behind ${url} exited`);
    try {
      const res = await fetch(url);
      // Any answer but a server error means the process serves (a connector's /metrics says 401 without the token).
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

export function run(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, args, { env, stdio: 'inherit' });
    proc.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}
