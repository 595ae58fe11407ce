// A production-shaped Onhand for the system suite and the soak: an embedded PostgreSQL this process owns (so it
// can be stopped and started), N built app processes (server/http/app-server.ts) and N realtime sidecars on one database,
// each process with its own PostgreSQL application_name so faults can find its connections.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { migrateDatabase } from '@/db/migrate';
import { createDatabaseIfMissing, freePort, startEmbedded, type Provisioned } from '@/db/provision';
import { appServer, tsEntry } from '@/server/cli/processes';

export type ProcKind = 'app' | 'sidecar';

export type Proc = {
  kind: ProcKind;
  index: number;
  name: string;
  port: number;
  url: string;
  // PostgreSQL application_name of every connection this process opens (PGAPPNAME).
  applicationName: string;
  child: ChildProcess | null;
  // How many times this process was started; a restart of a process we did not kill is a failure.
  starts: number;
  unexpectedExits: number;
  logFile: string;
  reportDir: string;
};

export type ClusterOptions = {
  apps?: number;
  sidecars?: number;
  // Where the embedded server keeps its files and the processes their logs; removed by stop().
  workDir: string;
  // The built app to serve (NEXT_DIST_DIR); it must already be built.
  distDir?: string;
  // Node diagnostic reports on SIGUSR2, for heap figures (the soak).
  heapReports?: boolean;
  // The one origin a reverse proxy gives the whole cluster (the reference topology): every app and sidecar is told
  // it is served there (ONHAND_URL, REALTIME_PUBLIC_URL). Without it each process is its own origin.
  publicUrl?: string;
  // More environment for every process, and for one app process (by its index, from 1).
  env?: Record<string, string>;
  appEnv?: (index: number) => Record<string, string>;
  log?: (line: string) => void;
};

const DATABASE = 'onhand_system';

export class Cluster {
  readonly procs: Proc[] = [];
  readonly secret = randomBytes(32).toString('base64url');
  // Every part's /metrics asks for it.
  readonly metricsToken = randomBytes(16).toString('hex');
  private pg!: Provisioned;
  private pgPort = 0;
  adminUrl = '';
  url = '';
  private admin!: postgres.Sql;
  private stopping = false;

  private constructor(
    private readonly o: Required<Omit<ClusterOptions, 'log' | 'publicUrl' | 'env' | 'appEnv'>> & {
      log: (line: string) => void;
      publicUrl?: string;
      env: Record<string, string>;
      appEnv?: (index: number) => Record<string, string>;
    },
  ) {}

  static async start(options: ClusterOptions): Promise<Cluster> {
    const c = new Cluster({
      apps: options.apps ?? 2,
      sidecars: options.sidecars ?? 2,
      workDir: path.resolve(options.workDir),
      distDir: options.distDir ?? process.env.NEXT_DIST_DIR ?? '.next',
      heapReports: options.heapReports ?? false,
      publicUrl: options.publicUrl,
      env: options.env ?? {},
      appEnv: options.appEnv,
      log: options.log ?? (() => {}),
    });
    if (!fs.existsSync(path.join(c.o.distDir, 'BUILD_ID'))) throw new Error(`no built app in ${c.o.distDir}: run next build first`);
    fs.rmSync(c.o.workDir, { recursive: true, force: true });
    fs.mkdirSync(c.o.workDir, { recursive: true });
    await c.startPostgres();
    await migrateDatabase(c.url);
    // Commits report back only once flushed (and, while a fault names a standby that never comes, never): the
    // embedded test server runs with synchronous_commit off on its command line, which a database setting overrides.
    // fsync stays off, so this costs nothing.
    await c.exec(`ALTER DATABASE ${DATABASE} SET synchronous_commit = on`);
    c.admin = postgres(c.url, { max: 2, onnotice: () => {}, connection: { application_name: 'onhand-system-admin' } });
    for (let i = 0; i < c.o.sidecars; i++) c.procs.push(await c.makeProc('sidecar', i + 1));
    for (let i = 0; i < c.o.apps; i++) c.procs.push(await c.makeProc('app', i + 1));
    return c;
  }

  get apps() {
    return this.procs.filter((p) => p.kind === 'app');
  }
  get sidecars() {
    return this.procs.filter((p) => p.kind === 'sidecar');
  }
  // The database as the suite's own tools see it (fault injection, pg_stat_activity).
  get sql() {
    return this.admin;
  }

  private async startPostgres() {
    const dataDir = path.join(this.o.workDir, 'pg');
    this.pgPort ||= await freePort();
    this.pg = await startEmbedded({ dataDir, database: 'postgres', port: this.pgPort, durable: false });
    this.adminUrl = this.pg.url;
    await createDatabaseIfMissing(this.adminUrl, DATABASE);
    const u = new URL(this.adminUrl);
    u.pathname = `/${DATABASE}`;
    this.url = u.toString();
  }

  // Fault: PostgreSQL stopped (fast shutdown: every connection cut, replication included) and started again on
  // the same port and data directory after `downMs`.
  async restartPostgres(downMs = 1500) {
    await this.pg.stop();
    await new Promise((r) => setTimeout(r, downMs));
    await this.startPostgres();
  }

  private async exec(statement: string) {
    const sql = postgres(this.url, { max: 1, onnotice: () => {} });
    try {
      await sql.unsafe(statement);
    } finally {
      await sql.end({ timeout: 5 });
    }
  }

  private async makeProc(kind: ProcKind, index: number): Promise<Proc> {
    const port = await freePort();
    const name = `${kind}-${index}`;
    return {
      kind,
      index,
      name,
      port,
      url: `http://127.0.0.1:${port}`,
      applicationName: `onhand-${name}`,
      child: null,
      starts: 0,
      unexpectedExits: 0,
      logFile: path.join(this.o.workDir, `${name}.log`),
      reportDir: path.join(this.o.workDir, `reports-${name}`),
    };
  }

  // What every process on this cluster's database is given, whoever starts it (this cluster, or `npm start` in the
  // supervision suite).
  baseEnv(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: this.url,
      BETTER_AUTH_SECRET: this.secret,
      NEXT_DIST_DIR: this.o.distDir,
      NEXT_TELEMETRY_DISABLED: '1',
      METRICS_TOKEN: this.metricsToken,
      ...this.o.env,
      // The load is one API key from one address; the rate limits are not what these suites measure.
      RATE_LIMIT_KEY_PER_MIN: '1000000',
      RATE_LIMIT_KEY_BURST: '100000',
      RATE_LIMIT_PUBLIC_PER_MIN: '1000000',
      RATE_LIMIT_PUBLIC_BURST: '100000',
    };
  }

  private env(p: Proc): NodeJS.ProcessEnv {
    const app = this.apps[0] ?? p;
    fs.mkdirSync(p.reportDir, { recursive: true });
    return {
      ...this.baseEnv(),
      PGAPPNAME: p.applicationName,
      PORT: String(p.kind === 'app' ? p.port : app.port),
      REALTIME_PORT: String(p.kind === 'sidecar' ? p.port : (this.sidecars[0]?.port ?? 0)),
      ONHAND_URL: this.o.publicUrl ?? `http://localhost:${p.kind === 'app' ? p.port : app.port}`,
      ...(this.o.publicUrl ? { REALTIME_PUBLIC_URL: this.o.publicUrl } : {}),
      NODE_OPTIONS: [process.env.NODE_OPTIONS ?? '', ...(this.o.heapReports ? ['--report-on-signal', '--report-signal=SIGUSR2', '--report-compact', `--report-directory=${p.reportDir}`] : [])]
        .join(' ')
        .trim(),
      ...(p.kind === 'app' ? this.o.appEnv?.(p.index) : {}),
    };
  }

  async startProc(p: Proc): Promise<void> {
    if (p.child && p.child.exitCode === null && p.child.signalCode === null) throw new Error(`${p.name} is already running`);
    const args = p.kind === 'app' ? appServer('-p', String(p.port), '-H', '127.0.0.1') : tsEntry('server/realtime/main.ts');
    const out = fs.openSync(p.logFile, 'a');
    const child = spawn(process.execPath, args, { env: this.env(p), stdio: ['ignore', out, out] });
    fs.closeSync(out);
    p.child = child;
    p.starts++;
    child.on('exit', (code, signal) => {
      if (p.child !== child) return;
      if (!this.stopping && !(child as ChildProcess & { expectedExit?: boolean }).expectedExit) {
        p.unexpectedExits++;
        this.o.log(`${p.name} exited unexpectedly (code ${code}, signal ${signal}); its log: ${p.logFile}`);
      }
    });
    await this.waitHealthy(p, 120_000);
  }

  async startAll() {
    await Promise.all(this.sidecars.map((p) => this.startProc(p)));
    // Two app servers starting at once on two cores: one after the other is as fast and fails more clearly.
    for (const p of this.apps) await this.startProc(p);
  }

  // Fault: the process is killed (SIGKILL by default: no cleanup, no goodbye to its clients or the database).
  async kill(p: Proc, signal: NodeJS.Signals = 'SIGKILL') {
    const child = p.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    (child as ChildProcess & { expectedExit?: boolean }).expectedExit = true;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await exited;
  }

  alive(p: Proc) {
    return !!p.child && p.child.exitCode === null && p.child.signalCode === null;
  }

  pid(p: Proc) {
    return p.child?.pid;
  }

  healthUrl(p: Proc) {
    return p.kind === 'app' ? `${p.url}/api/health` : `${p.url}/health`;
  }

  async healthy(p: Proc): Promise<boolean> {
    try {
      const res = await fetch(this.healthUrl(p), { signal: AbortSignal.timeout(3000) });
      await res.arrayBuffer();
      return res.ok;
    } catch {
      return false;
    }
  }

  async waitHealthy(p: Proc, timeoutMs = 60_000) {
    const deadline = Date.now() + timeoutMs;
    while (!(await this.healthy(p))) {
      if (!this.alive(p)) throw new Error(`${p.name} exited while starting; its log: ${p.logFile}\n${this.logTail(p)}`);
      if (Date.now() > deadline) throw new Error(`${p.name} not healthy within ${timeoutMs / 1000} s; its log: ${p.logFile}\n${this.logTail(p)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  logTail(p: Proc, lines = 30): string {
    try {
      return fs.readFileSync(p.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  // Resident memory of the process (the app server and any children it runs), in bytes.
  rss(p: Proc): number {
    const pid = p.child?.pid;
    if (!pid) return 0;
    return [pid, ...descendants(pid)].reduce((sum, id) => sum + rssOf(id), 0);
  }

  // The V8 heap in use: what the process's /metrics says (the sidecar's; one request, answered however busy the
  // machine), else from a Node diagnostic report (needs heapReports). Null if neither came.
  async heapUsed(p: Proc): Promise<number | null> {
    const pid = p.child?.pid;
    if (!pid) return null;
    const fromMetrics = p.kind === 'sidecar' ? await this.heapFromMetrics(p) : null;
    if (fromMetrics !== null || !this.o.heapReports) return fromMetrics;
    const pids = [pid, ...descendants(pid)].filter(isNode);
    let total = 0;
    for (const id of pids) {
      const before = new Set(fs.readdirSync(p.reportDir));
      try {
        process.kill(id, 'SIGUSR2');
      } catch {
        continue;
      }
      const deadline = Date.now() + 5000;
      let file: string | undefined;
      while (!file && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        file = fs.readdirSync(p.reportDir).find((f) => !before.has(f) && f.endsWith('.json'));
      }
      if (!file) return null;
      // A busy process may still be writing its report: read it once it parses.
      let used: number | undefined;
      for (let i = 0; i < 50 && used === undefined; i++) {
        try {
          used = (JSON.parse(fs.readFileSync(path.join(p.reportDir, file), 'utf8')) as { javascriptHeap?: { usedMemory?: number } }).javascriptHeap?.usedMemory;
        } catch {
          // partly written
        }
        if (used === undefined) await new Promise((r) => setTimeout(r, 100));
      }
      fs.rmSync(path.join(p.reportDir, file), { force: true });
      if (used === undefined) return null;
      total += used;
    }
    return total;
  }

  private async heapFromMetrics(p: Proc): Promise<number | null> {
    try {
      const res = await fetch(`${p.url}/metrics`, { headers: { authorization: `Bearer ${this.metricsToken}` }, signal: AbortSignal.timeout(10_000) });
      if (!res.ok) return null;
      const m = /^onhand_\w+_nodejs_heap_size_used_bytes\s+([0-9.e+]+)/m.exec(await res.text());
      return m ? Number(m[1]) : null;
    } catch {
      return null;
    }
  }

  // Database connections per application_name (the suite's own included), from pg_stat_activity.
  async connections(): Promise<Record<string, number>> {
    const rows = await this.admin<{ name: string; n: number }[]>`
      SELECT coalesce(nullif(application_name, ''), backend_type) AS name, count(*)::int AS n
      FROM pg_stat_activity WHERE datname = ${DATABASE} OR backend_type = 'walsender' GROUP BY 1 ORDER BY 1`;
    return Object.fromEntries(rows.map((r) => [r.name, r.n]));
  }

  async stop() {
    this.stopping = true;
    await Promise.all(
      this.procs.map(async (p) => {
        const child = p.child;
        if (!child || child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 8000);
        await exited;
        clearTimeout(t);
      }),
    );
    await this.admin?.end({ timeout: 2 }).catch(() => {});
    await this.pg?.stop().catch(() => {});
  }

  removeFiles() {
    fs.rmSync(this.o.workDir, { recursive: true, force: true });
  }
}

function descendants(pid: number): number[] {
  try {
    const kids = fs
      .readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
    return kids.flatMap((k) => [k, ...descendants(k)]);
  } catch {
    return [];
  }
}

function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function isNode(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim().startsWith('node') || fs.readlinkSync(`/proc/${pid}/exe`).endsWith('/node');
  } catch {
    return false;
  }
}
