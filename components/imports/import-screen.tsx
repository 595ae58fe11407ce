'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import {
  importFields,
  importKindLabels,
  importKinds,
  importPresetLabels,
  importPresets,
  MAX_IMPORT_MB,
  type ColumnMapping,
  type ImportKind,
  type ImportPreset,
  type ImportProgressLine,
  type ImportReport,
} from '@/lib/contracts/imports';
import { ImportReportView } from './import-report';

type Phase = { step: 'idle' } | { step: 'running'; dryRun: boolean; rows: number; bytes: number } | { step: 'done'; report: ImportReport } | { step: 'error'; message: string };

// Upload, dry run, mapping, apply: the file is sent again for the apply (the browser keeps it), so the server never
// keeps an upload between the two; the apply re-checks every row against the stock as it is then.
export function ImportScreen() {
  const [kind, setKind] = useState<ImportKind>('products');
  const [preset, setPreset] = useState<ImportPreset | 'auto'>('auto');
  const [file, setFile] = useState<File | null>(null);
  const [mapping, setMapping] = useState<ColumnMapping | null>(null);
  const [phase, setPhase] = useState<Phase>({ step: 'idle' });

  async function send(dryRun: boolean, withMapping: ColumnMapping | null) {
    if (!file) return;
    if (file.size > MAX_IMPORT_MB * 1024 * 1024) {
      setPhase({ step: 'error', message: `${file.name} is larger than ${MAX_IMPORT_MB} MB: split it into smaller files.` });
      return;
    }
    setPhase({ step: 'running', dryRun, rows: 0, bytes: 0 });
    const q = new URLSearchParams({ kind, dryRun: String(dryRun), reference: file.name.slice(0, 200) });
    if (preset !== 'auto') q.set('preset', preset);
    if (withMapping) q.set('mapping', JSON.stringify(withMapping));
    try {
      const res = await fetch(`/api/dashboard/imports?${q}`, { method: 'POST', body: file, headers: { 'Content-Type': 'text/csv' } });
      if (!res.ok || !res.body) {
        const problem = (await res.json().catch(() => null)) as { detail?: string } | null;
        setPhase({ step: 'error', message: problem?.detail ?? `The upload failed (${res.status}). Try again.` });
        return;
      }
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffered = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffered += value;
        let nl: number;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const line = JSON.parse(buffered.slice(0, nl)) as ImportProgressLine;
          buffered = buffered.slice(nl + 1);
          if ('progress' in line) setPhase({ step: 'running', dryRun, ...line.progress });
          else if ('report' in line) {
            setMapping(line.report.mapping);
            setPhase({ step: 'done', report: line.report });
          } else setPhase({ step: 'error', message: line.error });
        }
      }
    } catch {
      setPhase({ step: 'error', message: 'The connection was lost during the upload. Nothing was written unless the report said so: check the file again.' });
    }
  }

  const running = phase.step === 'running';
  const report = phase.step === 'done' ? phase.report : null;
  return (
    <section aria-labelledby="import-heading" className="space-y-5 rounded-xl border border-slate-200 bg-white p-5">
      <h2 id="import-heading" className="text-lg font-semibold">
        Import a CSV file
      </h2>
      <form
        className="flex flex-wrap items-end gap-4"
        onSubmit={(e) => {
          e.preventDefault();
          setMapping(null);
          void send(true, null);
        }}
      >
        <div>
          <label htmlFor="import-kind" className="mb-1 block text-sm font-medium text-slate-700">
            The file holds
          </label>
          <select id="import-kind" value={kind} onChange={(e) => setKind(e.target.value as ImportKind)} className="block min-h-11 rounded-md border border-slate-300 px-3 py-2">
            {importKinds.map((k) => (
              <option key={k} value={k}>
                {importKindLabels[k]}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="import-preset" className="mb-1 block text-sm font-medium text-slate-700">
            Format
          </label>
          <select id="import-preset" value={preset} onChange={(e) => setPreset(e.target.value as ImportPreset | 'auto')} className="block min-h-11 rounded-md border border-slate-300 px-3 py-2">
            <option value="auto">Detect from the header row</option>
            {importPresets.map((p) => (
              <option key={p} value={p}>
                {importPresetLabels[p]}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="import-file" className="mb-1 block text-sm font-medium text-slate-700">
            CSV file (UTF-8, up to {MAX_IMPORT_MB} MB)
          </label>
          <input
            id="import-file"
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setPhase({ step: 'idle' });
            }}
            className="block min-h-11 text-sm"
          />
        </div>
        <Button type="submit" variant="primary" disabled={!file} pending={running && phase.dryRun}>
          Check file
        </Button>
      </form>
      <p className="text-sm text-slate-600">Checking writes nothing: it shows what the file would add, change and refuse. Then apply it: the whole file, or nothing.</p>

      <div aria-live="polite" role="status">
        {running ? (
          <p className="text-sm text-slate-700">
            {phase.dryRun ? 'Checking' : 'Applying'}… {phase.rows.toLocaleString('en')} rows read
            {file ? ` (${Math.min(100, Math.round((phase.bytes / Math.max(file.size, 1)) * 100))}% of ${file.name})` : ''}
          </p>
        ) : null}
        {phase.step === 'error' ? (
          <p className="flex gap-2 rounded-md bg-red-50 px-3 py-2 text-sm text-red-900">
            <span aria-hidden="true">⚠</span>
            {phase.message}
          </p>
        ) : null}
      </div>

      {report ? (
        <>
          {report.preset !== 'columns' ? <p className="text-sm text-slate-700">Read as {importPresetLabels[report.preset]}.</p> : null}
          {report.headers.length ? (
            <MappingForm kind={report.kind} headers={report.headers} mapping={mapping ?? report.mapping} onChange={setMapping} onCheck={() => void send(true, mapping)} busy={running} />
          ) : null}
          <ImportReportView report={report} />
          {report.dryRun && !report.fatal && report.counts.refused === 0 && report.counts.new + report.counts.changed > 0 ? (
            <Button variant="primary" pending={running} onClick={() => void send(false, report.mapping)}>
              Apply {report.counts.new + report.counts.changed} change{report.counts.new + report.counts.changed === 1 ? '' : 's'}
            </Button>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

function MappingForm(props: { kind: ImportKind; headers: string[]; mapping: ColumnMapping; onChange: (m: ColumnMapping) => void; onCheck: () => void; busy: boolean }) {
  const { kind, headers, mapping, onChange } = props;
  return (
    <fieldset className="space-y-3 rounded-lg border border-slate-200 p-4">
      <legend className="px-1 text-sm font-medium">Columns → fields (remembered for files with this header row once applied)</legend>
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
        {importFields[kind].map((f) => (
          <div key={f.key} className="flex flex-wrap items-end gap-2">
            <div>
              <label htmlFor={`map-${f.key}`} className="mb-1 block text-sm text-slate-700">
                {f.label}
                {f.required ? ' *' : ''}
              </label>
              <select
                id={`map-${f.key}`}
                value={mapping.columns[f.key] ?? ''}
                onChange={(e) => {
                  const columns = { ...mapping.columns };
                  if (e.target.value) columns[f.key] = e.target.value;
                  else delete columns[f.key];
                  onChange({ ...mapping, columns });
                }}
                className="block min-h-11 w-48 rounded-md border border-slate-300 px-2"
              >
                <option value="">— not in the file —</option>
                {headers.map((h) => (
                  <option key={h} value={h}>
                    {h}
                  </option>
                ))}
              </select>
            </div>
            {mapping.columns[f.key] === undefined && f.required ? (
              <div>
                <label htmlFor={`fixed-${f.key}`} className="mb-1 block text-sm text-slate-700">
                  or the same for every row
                </label>
                <input
                  id={`fixed-${f.key}`}
                  value={mapping.fixed[f.key] ?? ''}
                  onChange={(e) => onChange({ ...mapping, fixed: { ...mapping.fixed, [f.key]: e.target.value } })}
                  className="block min-h-11 w-36 rounded-md border border-slate-300 px-2"
                />
              </div>
            ) : null}
          </div>
        ))}
      </div>
      <Button onClick={props.onCheck} pending={props.busy}>
        Check again with these columns
      </Button>
    </fieldset>
  );
}
