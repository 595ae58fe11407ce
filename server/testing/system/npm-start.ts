// `npm start` itself (server/cli/start.ts: its supervisor and every part) on a system-suite cluster's database, for
// the supervision suite: free ports, the connector on the machine's RabbitMQ under a prefix of its own, the output
// in a log file, and the parts file read for each part's state and pid. The app and the sidecar are also described
// as the suite's Procs, so the load and the live clients use them as they use a cluster's.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from '@/db/provision';
import { tsEntry } from '@/server/cli/processes';
import { readParts, type PartStatus } from '@/server/observability/parts';
import type { Cluster, Proc } from './cluster';

export type Part = 'app' | 'realtime' | 'amqp' | 'storefront';
export const parts: Part[] = ['app', 'realtime', 'amqp', 'storefront'];

export class NpmStart {
  readonly logFile: string;
  private readonly partsFile: string;
  private proc!: ChildProcess;
  private exit: Promise<number | null> = Promise.resolve(null);

  private constructor(
    readonly app: Proc,
    readonly realtime: Proc,
    readonly healthUrls: Record<Part, string>,
    private readonly env: NodeJS.ProcessEnv,
    dataDir: string,
  ) {
    this.logFile = path.join(dataDir, 'npm-start.log');
    this.partsFile = path.join(dataDir, 'parts.json');
  }

  static async start(cluster: Cluster, o: { workDir: string; amqpUrl: string; amqpPrefix: string }): Promise<NpmStart> {
    const [app, realtime, amqp, shop] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const dataDir = path.resolve(o.workDir, 'npm-start');
    fs.mkdirSync(dataDir, { recursive: true });
    const proc = (kind: Proc['kind'], name: Part, port: number): Proc => ({
      kind,
      index: 1,
      name,
      port,
      url: `http://127.0.0.1:${port}`,
      applicationName: `onhand-${name}`,
      child: null,
      starts: 1,
      unexpectedExits: 0,
      logFile: path.join(dataDir, 'npm-start.log'),
      reportDir: dataDir,
    });
    const n = new NpmStart(
      proc('app', 'app', app),
      proc('sidecar', 'realtime', realtime),
      {
        app: `http://127.0.0.1:${app}/api/health`,
        realtime: `http://127.0.0.1:${realtime}/health`,
        amqp: `http://127.0.0.1:${amqp}/health`,
        storefront: `http://127.0.0.1:${shop}/health`,
      },
      {
        ...cluster.baseEnv(),
        ONHAND_DATA_DIR: dataDir,
        PORT: String(app),
        REALTIME_PORT: String(realtime),
        AMQP_METRICS_PORT: String(amqp),
        DEMO_STOREFRONT_PORT: String(shop),
        AMQP_URL: o.amqpUrl,
        AMQP_PREFIX: o.amqpPrefix,
        AMQP_PUBLISHERS: 'guest:goods.received',
      },
      dataDir,
    );
    n.launch();
    return n;
  }

  private launch() {
    const out = fs.openSync(this.logFile, 'a');
    this.proc = spawn(process.execPath, tsEntry('server/cli/start.ts'), { env: this.env, stdio: ['ignore', out, out] });
    fs.closeSync(out);
    const proc = this.proc;
    this.exit = new Promise((r) => proc.once('exit', (code) => r(code)));
  }

  get running() {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  status(part: Part): PartStatus {
    const s = readParts(this.partsFile)?.parts[part];
    if (!s) throw new Error(`${part} is not in ${this.partsFile}`);
    return s;
  }

  pid(part: Part): number {
    const pid = this.status(part).pid;
    if (!pid) throw new Error(`${part} has no process`);
    return pid;
  }

  async healthy(part: Part, timeoutMs = 3000): Promise<boolean> {
    try {
      const res = await fetch(this.healthUrls[part], { signal: AbortSignal.timeout(timeoutMs) });
      await res.arrayBuffer();
      return res.ok;
    } catch {
      return false;
    }
  }

  // The app's /api/health answer (its parts and what is degraded).
  async appHealth(): Promise<{ status?: string; degraded?: string[]; parts?: Record<string, string> } | null> {
    try {
      const res = await fetch(this.healthUrls.app, { signal: AbortSignal.timeout(3000) });
      return (await res.json()) as { status?: string; degraded?: string[] };
    } catch {
      return null;
    }
  }

  log(): string {
    try {
      return fs.readFileSync(this.logFile, 'utf8');
    } catch {
      return '';
    }
  }

  // SIGTERM, as a service manager stops it; resolves with its exit code, or null if it took longer than timeoutMs.
  async stop(timeoutMs = 30_000): Promise<number | null> {
    if (!this.running) return this.proc.exitCode;
    this.proc.kill('SIGTERM');
    const timer = new Promise<'late'>((r) => setTimeout(() => r('late'), timeoutMs));
    const code = await Promise.race([this.exit, timer]);
    if (code !== 'late') return code;
    // Not stopped in time: take its parts down with it rather than leave them running.
    for (const part of parts) {
      const pid = readParts(this.partsFile)?.parts[part]?.pid;
      try {
        if (pid) process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    this.proc.kill('SIGKILL');
    return null;
  }
}
