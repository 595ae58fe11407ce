// Draws bench/results/chart.svg from every scenario's results file: throughput as a ratio to the baseline measured in
// the same run (bars, with the target as a tick), and latencies in milliseconds on a log scale (with their targets).
// Plain SVG text, no dependency: it renders on GitHub and in any browser.
import fs from 'node:fs';
import path from 'node:path';
import type { ResultLine, ScenarioResult } from './common';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const GREEN = '#2f9e44';
const RED = '#e03131';
const GREY = '#868e96';
const ORDER = ['api', 'hot-sku', 'realtime-1000', 'realtime-5000', 'realtime', 'availability', 'search'];

export function readResults(dir: string): ScenarioResult[] {
  if (!fs.existsSync(dir)) return [];
  const all = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => {
      try {
        return { file: f.replace(/\.json$/, ''), r: JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as ScenarioResult };
      } catch {
        return null;
      }
    })
    .filter((x): x is { file: string; r: ScenarioResult } => !!x && Array.isArray(x.r.lines));
  const rank = (f: string) => (ORDER.indexOf(f) === -1 ? ORDER.length : ORDER.indexOf(f));
  return all.sort((a, b) => rank(a.file) - rank(b.file) || a.file.localeCompare(b.file)).map((x) => x.r);
}

export function writeChart(dir: string): string | null {
  const results = readResults(dir);
  if (!results.length) return null;
  const ratios: { label: string; line: ResultLine }[] = [];
  const checks: { label: string; line: ResultLine }[] = [];
  const latencies: { label: string; line: ResultLine }[] = [];
  for (const r of results) {
    for (const l of r.lines) {
      if (l.ratio !== undefined && Number.isFinite(l.ratio)) ratios.push({ label: `${r.title}: ${l.label}`, line: l });
      else if (l.unit === 'ms' && Number.isFinite(l.value)) latencies.push({ label: `${r.title}: ${l.label}`, line: l });
      else if (l.target?.kind === 'equals') checks.push({ label: `${r.title}: ${l.label}`, line: l });
    }
  }
  const W = 960;
  const labelW = 470;
  const barW = W - labelW - 150;
  const rowH = 22;
  let y = 0;
  const parts: string[] = [];
  const text = (x: number, yy: number, s: string, opts: { anchor?: string; size?: number; weight?: string; fill?: string } = {}) =>
    parts.push(
      `<text x="${x}" y="${yy}" font-size="${opts.size ?? 12}" text-anchor="${opts.anchor ?? 'start'}" fill="${opts.fill ?? '#212529'}"${opts.weight ? ` font-weight="${opts.weight}"` : ''}>${esc(s)}</text>`,
    );

  y += 28;
  text(16, y, 'Onhand benchmarks', { size: 18, weight: 'bold' });
  y += 20;
  const m = results[results.length - 1].machine;
  const loads = results.map((r) => r.machine.loadBefore[0]).filter(Number.isFinite);
  text(16, y, 'Green: target met · red: target missed · grey: no target · black tick: the target', { fill: GREY });
  y += 18;
  text(16, y, `${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGb} GB, shared; PostgreSQL ${m.postgres}, Node ${m.node}; 1-min load at start ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`, { fill: GREY });

  if (ratios.length) {
    y += 34;
    text(16, y, 'Throughput ÷ its baseline in the same run (writes: the same SQL driven directly; reads: a bare server)', { size: 14, weight: 'bold' });
    y += 12;
    const max = Math.max(1.2, ...ratios.map((r) => Math.max(r.line.ratio ?? 0, r.line.target?.value ?? 0))) * 1.05;
    const x0 = labelW;
    const sx = (v: number) => x0 + (v / max) * barW;
    const top = y;
    for (const { label, line } of ratios) {
      y += rowH;
      const v = line.ratio ?? 0;
      const color = line.met === undefined ? GREY : line.met ? GREEN : RED;
      text(x0 - 8, y - 6, label, { anchor: 'end' });
      parts.push(`<rect x="${x0}" y="${y - rowH + 5}" width="${Math.max(1, sx(v) - x0).toFixed(1)}" height="${rowH - 8}" fill="${color}" rx="2"/>`);
      if (line.target) parts.push(`<line x1="${sx(line.target.value)}" x2="${sx(line.target.value)}" y1="${y - rowH + 2}" y2="${y}" stroke="#212529" stroke-width="2"/>`);
      const detail = `${v.toFixed(2)}×  (${Math.round(line.value)} vs ${Math.round(line.baseline ?? NaN)} ${line.unit})`;
      text(sx(v) + 6, y - 6, detail, { fill: '#495057', size: 11 });
    }
    parts.push(`<line x1="${sx(1)}" x2="${sx(1)}" y1="${top + 2}" y2="${y + 2}" stroke="${GREY}" stroke-dasharray="3,3"/>`);
    text(sx(1), y + 14, '1× = baseline', { anchor: 'middle', size: 10, fill: GREY });
    y += 14;
  }

  for (const { label, line } of checks) {
    y += 22;
    text(16, y, `${label}: ${line.value} ${line.unit} (must be ${line.target!.value})`, { fill: line.met ? GREEN : RED, weight: 'bold' });
  }

  if (latencies.length) {
    y += 34;
    text(16, y, 'Latency in ms, log scale', { size: 14, weight: 'bold' });
    y += 12;
    const lo = 0.1;
    const hi = Math.max(1000, ...latencies.map((l) => l.line.value * 1.5));
    const x0 = labelW;
    const sx = (v: number) => x0 + ((Math.log10(Math.max(lo, v)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * barW;
    const top = y;
    for (const { label, line } of latencies) {
      y += rowH;
      const color = line.met === undefined ? GREY : line.met ? GREEN : RED;
      text(x0 - 8, y - 6, label, { anchor: 'end' });
      parts.push(`<rect x="${x0}" y="${y - rowH + 5}" width="${Math.max(1, sx(line.value) - x0).toFixed(1)}" height="${rowH - 8}" fill="${color}" rx="2"/>`);
      if (line.target) parts.push(`<line x1="${sx(line.target.value)}" x2="${sx(line.target.value)}" y1="${y - rowH + 2}" y2="${y}" stroke="#212529" stroke-width="2"/>`);
      text(sx(line.value) + 6, y - 6, `${line.value < 10 ? line.value.toFixed(1) : Math.round(line.value)} ms`, { fill: '#495057', size: 11 });
    }
    for (const t of [1, 10, 100, 1000, 10_000, 100_000].filter((t) => t <= hi)) {
      parts.push(`<line x1="${sx(t)}" x2="${sx(t)}" y1="${top + 2}" y2="${y + 2}" stroke="#dee2e6"/>`);
      text(sx(t), y + 14, `${t} ms`, { anchor: 'middle', size: 10, fill: GREY });
    }
    y += 14;
  }
  y += 20;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${y}" viewBox="0 0 ${W} ${y}" font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif">
<rect width="100%" height="100%" fill="#ffffff"/>
${parts.join('\n')}
</svg>
`;
  const out = path.join(dir, 'chart.svg');
  fs.writeFileSync(out, svg);
  return out;
}
