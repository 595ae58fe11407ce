// The reference topology's reverse proxy: nginx from the system's packages, run from docs/deploy/nginx.conf with
// the example addresses replaced by the cluster's, in the foreground, as a child of the suite.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { nginxBinary } from '@/server/cli/test-prerequisites';
import type { Proc } from './cluster';

export const REFERENCE_CONFIG = 'docs/deploy/nginx.conf';

// The reference file with its upstream servers and listen port replaced; everything else as documented.
export function proxyConfig(o: { port: number; apps: Proc[]; sidecars: Proc[] }): string {
  const reference = fs.readFileSync(REFERENCE_CONFIG, 'utf8');
  const servers = (procs: Proc[]) => procs.map((p) => `        server 127.0.0.1:${p.port} max_fails=1 fail_timeout=5s;`).join('\n');
  const replaceUpstream = (conf: string, name: string, procs: Proc[]) => {
    const re = new RegExp(`(upstream ${name} \\{\\n(?:\\s+ip_hash;\\n)?)((?:\\s+server [^\\n]+\\n)+)`);
    if (!re.test(conf)) throw new Error(`${REFERENCE_CONFIG} has no upstream ${name} with server lines`);
    return conf.replace(re, `$1${servers(procs)}\n`);
  };
  const conf = replaceUpstream(replaceUpstream(reference, 'onhand_app', o.apps), 'onhand_realtime', o.sidecars);
  if (!/listen 80;/.test(conf)) throw new Error(`${REFERENCE_CONFIG} has no "listen 80;"`);
  return conf.replace('listen 80;', `listen 127.0.0.1:${o.port};`).replace('worker_processes auto;', 'worker_processes 1;');
}

export class Proxy {
  private constructor(
    readonly url: string,
    private readonly child: ChildProcess,
    private readonly logFile: string,
  ) {}

  static async start(o: { workDir: string; port: number; apps: Proc[]; sidecars: Proc[] }): Promise<Proxy> {
    const bin = nginxBinary();
    if (!bin) throw new Error('nginx is not installed (apt-get install nginx); npm test provides it when it runs as root');
    const dir = path.resolve(o.workDir, 'nginx');
    fs.mkdirSync(dir, { recursive: true });
    const conf = path.join(dir, 'nginx.conf');
    fs.writeFileSync(conf, proxyConfig(o));
    const logFile = path.join(dir, 'nginx.log');
    const out = fs.openSync(logFile, 'a');
    const child = spawn(bin, ['-e', 'stderr', '-p', dir, '-c', conf, '-g', `daemon off; pid ${path.join(dir, 'nginx.pid')};`], { stdio: ['ignore', out, out] });
    fs.closeSync(out);
    const proxy = new Proxy(`http://127.0.0.1:${o.port}`, child, logFile);
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`nginx exited at start: ${fs.readFileSync(logFile, 'utf8')}`);
      try {
        if ((await fetch(`${proxy.url}/api/health`, { signal: AbortSignal.timeout(2000) })).ok) return proxy;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`nginx did not answer within 20 s: ${fs.readFileSync(logFile, 'utf8')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  log(): string {
    return fs.existsSync(this.logFile) ? fs.readFileSync(this.logFile, 'utf8') : '';
  }

  async stop() {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGQUIT'); // graceful: finish what is in flight
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    this.child.kill('SIGKILL');
  }
}
