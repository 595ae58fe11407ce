// Shared by the benchmark scenarios: flags, statistics, tables, and the results file each scenario writes
// (bench/results/<scenario>.json), from which the chart is drawn.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import postgres from 'postgres';
import { writeChart } from './chart';

export const flag = (name: string) => (process.argv.includes(`--${name}`) ? process.argv[process.argv.indexOf(`--${name}`) + 1] : undefined);
export const num = (name: string, fallback: number) => Number(flag(name) ?? fallback);
export const now = () => performance.now();
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const log = (s: string) => console.log(`[bench] ${s}`);

export const RESULTS_DIR = path.resolve('bench/results');

export type Percentiles = { n: number; p50: number; p95: number; p99: number; max: number };

export function percentiles(ms: number[]): Percentiles {
  const s = Float64Array.from(ms).sort();
  return { n: s.length, p50: nearestRank(s, 0.5), p95: nearestRank(s, 0.95), p99: nearestRank(s, 0.99), max: s.length ? s[s.length - 1] : NaN };
}

// One more quantile than percentiles() gives, for a table that wants it.
export const percentile = (ms: number[], q: number) => nearestRank(Float64Array.from(ms).sort(), q);

const nearestRank = (sorted: Float64Array, q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN);

export function printTable(head: string[], body: string[][], leftColumns = 1) {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i < leftColumns ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  console.log(line(head));
  console.log(`|${widths.map((w, i) => (i < leftColumns ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  body.forEach((b) => console.log(line(b)));
}

export const fmt = (v: number | undefined, digits = 0) => (v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits));

export type Machine = { cpus: number; cpuModel: string; memoryGb: number; node: string; postgres: string; loadBefore: number[]; loadAfter: number[] };

export function machine(loadBefore: number[], postgresVersion: string): Machine {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    postgres: postgresVersion,
    loadBefore,
    loadAfter: os.loadavg().map((l) => Number(l.toFixed(2))),
  };
}

export const loadavg = () => os.loadavg().map((l) => Number(l.toFixed(2)));

export async function postgresVersion(url: string): Promise<string> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [r] = await sql`SHOW server_version`;
    return String(r.server_version);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

// One line of a scenario's results. A throughput line carries its baseline (the same SQL driven directly) and the
// ratio; a latency line its percentiles. target: what the issue asks of the figure (ratio ≥, or ms ≤).
export type ResultLine = {
  label: string;
  unit: string;
  value: number;
  baseline?: number;
  ratio?: number;
  target?: { kind: 'ratio_at_least' | 'ms_at_most' | 'equals'; value: number };
  met?: boolean;
  extra?: Record<string, unknown>;
};

export type ScenarioResult = {
  scenario: string;
  title: string;
  at: string;
  commit: string;
  machine: Machine;
  settings: Record<string, unknown>;
  lines: ResultLine[];
  notes: string[];
};

export function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

export function judge(line: ResultLine): ResultLine {
  if (!line.target) return line;
  const v = line.target.kind === 'ratio_at_least' ? line.ratio : line.value;
  if (v === undefined || !Number.isFinite(v)) return { ...line, met: false };
  const met = line.target.kind === 'ratio_at_least' ? v >= line.target.value : line.target.kind === 'ms_at_most' ? v <= line.target.value : v === line.target.value;
  return { ...line, met };
}

export function writeResult(result: Omit<ScenarioResult, 'at' | 'commit'>, file = result.scenario) {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const full: ScenarioResult = { ...result, at: new Date().toISOString(), commit: gitCommit(), lines: result.lines.map(judge) };
  const out = path.join(RESULTS_DIR, `${file}.json`);
  fs.writeFileSync(out, `${JSON.stringify(full, null, 2)}\n`);
  log(`results: ${path.relative(process.cwd(), out)}`);
  const chart = writeChart(RESULTS_DIR);
  if (chart) log(`chart: ${path.relative(process.cwd(), chart)}`);
  return full;
}

// Prints a scenario's lines as docs/benchmarks.md shows them.
export function printLines(lines: ResultLine[]) {
  printTable(
    ['figure', 'Onhand', 'baseline', 'ratio', 'target', 'met'],
    lines.map(judge).map((l) => [
      l.label,
      `${fmt(l.value, l.value < 100 ? 1 : 0)} ${l.unit}`,
      l.baseline === undefined ? '–' : `${fmt(l.baseline, l.baseline < 100 ? 1 : 0)} ${l.unit}`,
      l.ratio === undefined ? '–' : l.ratio.toFixed(2),
      targetText(l),
      l.met === undefined ? '' : l.met ? 'yes' : 'NO',
    ]),
  );
}

export function targetText(l: ResultLine): string {
  if (!l.target) return '';
  if (l.target.kind === 'ratio_at_least') return `≥ ${l.target.value}×`;
  if (l.target.kind === 'ms_at_most') return `≤ ${l.target.value} ms`;
  return `= ${l.target.value}`;
}

// Runs `workers` loops of `op` for `ms` milliseconds (after `warmupMs` unmeasured), recording each call's latency.
export async function closedLoop(opts: {
  workers: number;
  ms: number;
  warmupMs?: number;
  op: (worker: number, i: number, measuring: boolean) => Promise<boolean | void>;
}): Promise<{ ops: number; ok: number; failed: number; seconds: number; perSecond: number; latencies: number[]; errors: Map<string, number> }> {
  const latencies: number[] = [];
  const errors = new Map<string, number>();
  let ok = 0;
  let failed = 0;
  let measuring = false;
  let stop = false;
  const run = async (w: number) => {
    for (let i = 0; !stop; i++) {
      const t = now();
      let good = true;
      try {
        good = (await opts.op(w, i, measuring && !stop)) !== false;
      } catch (e) {
        good = false;
        if (measuring) {
          const m = String((e as Error)?.message ?? e).slice(0, 120);
          errors.set(m, (errors.get(m) ?? 0) + 1);
        }
      }
      if (!measuring || stop) continue;
      latencies.push(now() - t);
      if (good) ok++;
      else failed++;
    }
  };
  const loops = Array.from({ length: opts.workers }, (_, w) => run(w));
  if (opts.warmupMs) await sleep(opts.warmupMs);
  measuring = true;
  const started = now();
  await sleep(opts.ms);
  const seconds = (now() - started) / 1000;
  stop = true;
  await Promise.all(loops);
  const ops = ok + failed;
  return { ops, ok, failed, seconds, perSecond: ok / seconds, latencies, errors };
}

export type LoopResult = Awaited<ReturnType<typeof closedLoop>>;

// The loops of a scenario measured in turns: each round gets its share of `seconds`, after the full warm-up in the
// first round and half a second in later ones.
export function roundLoop(opts: { seconds: number; rounds: number; warmup: number }) {
  const ms = (opts.seconds * 1000) / opts.rounds;
  return (workers: number, op: Parameters<typeof closedLoop>[0]['op']) => (round: number) => closedLoop({ workers, ms, warmupMs: round === 0 ? opts.warmup * 1000 : 500, op });
}

// Several slices of one loop, taken in turns with the other loops of the scenario (baseline, Onhand, baseline, …):
// the machine is shared, and alternating keeps a change in its load from landing on one side of a ratio only.
export function mergeLoops(parts: LoopResult[]): LoopResult {
  const errors = new Map<string, number>();
  for (const p of parts) for (const [k, v] of p.errors) errors.set(k, (errors.get(k) ?? 0) + v);
  const ok = parts.reduce((s, p) => s + p.ok, 0);
  const seconds = parts.reduce((s, p) => s + p.seconds, 0);
  return {
    ops: parts.reduce((s, p) => s + p.ops, 0),
    ok,
    failed: parts.reduce((s, p) => s + p.failed, 0),
    seconds,
    perSecond: ok / seconds,
    latencies: parts.flatMap((p) => p.latencies),
    errors,
  };
}

export async function inTurns(rounds: number, loops: Record<string, (round: number) => Promise<LoopResult>>): Promise<Record<string, LoopResult>> {
  const parts: Record<string, LoopResult[]> = Object.fromEntries(Object.keys(loops).map((k) => [k, []]));
  for (let r = 0; r < rounds; r++) for (const [k, f] of Object.entries(loops)) parts[k].push(await f(r));
  return Object.fromEntries(Object.entries(parts).map(([k, p]) => [k, mergeLoops(p)]));
}
