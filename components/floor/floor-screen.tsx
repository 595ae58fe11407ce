'use client';

import type { ReactNode } from 'react';
import { PageHeader } from '@/components/ui/page-header';
import { CameraScan } from './camera-scan';
import { FeedbackBanner } from './feedback-banner';
import { ScannerSettingsPanel } from './scanner-settings-panel';
import type { Feedback } from './use-feedback';
import type { ScannerApi } from './use-scanner';

type Props = {
  title: string;
  // Names the next scan: "Scan a bin", "Scan the product", "Scan the destination".
  prompt: string;
  scanner: ScannerApi;
  feedback: Feedback | null;
  toolbar?: ReactNode;
  task?: ReactNode;
  actions?: ReactNode;
  children?: ReactNode;
};

// The one layout of every floor screen: prompt, scan field, feedback banner, task card, big buttons.
export function FloorScreen({ title, prompt, scanner, feedback, toolbar, task, actions, children }: Props) {
  return (
    <div className="mx-auto max-w-5xl space-y-4">
      <PageHeader title={title}>{toolbar}</PageHeader>
      <section aria-label="Scanner" className="space-y-3 rounded-xl border border-slate-200 bg-white p-4">
        <p id="scan-prompt" className="text-2xl font-semibold tracking-tight" aria-live="polite">
          {prompt}
        </p>
        <div className="flex items-center gap-3">
          <label htmlFor="scan-field" className="sr-only">
            Scan
          </label>
          <input
            id="scan-field"
            name="scan"
            aria-describedby="scan-prompt"
            placeholder="Scan or tap to type"
            className="block min-h-14 w-full rounded-lg border-2 border-brand-500 bg-brand-50/40 px-4 font-mono text-xl focus:bg-white"
            {...scanner.inputProps}
          />
          <span className="w-6 shrink-0" aria-hidden="true">
            {scanner.busy ? <span className="block size-5 animate-spin rounded-full border-2 border-brand-500 border-t-transparent" /> : null}
          </span>
        </div>
        <FeedbackBanner feedback={feedback} />
        <CameraScan onCode={scanner.push} />
      </section>
      {task}
      {actions ? <div className="flex flex-wrap gap-2">{actions}</div> : null}
      {children}
      <ScannerSettingsPanel settings={scanner.settings} onChange={scanner.updateSettings} />
    </div>
  );
}

// The current task in large type: the bin, the product, expected versus done.
export function TaskCard({ bin, title, subtitle, progress, children }: { bin?: string; title: string; subtitle?: string; progress?: ReactNode; children?: ReactNode }) {
  return (
    <section aria-label="Current task" className="rounded-xl border border-slate-200 bg-white p-4 sm:p-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          {bin ? (
            <p className="font-mono text-4xl font-bold tracking-tight sm:text-5xl" data-testid="task-bin">
              {bin}
            </p>
          ) : null}
          <p className="mt-1 text-xl font-medium">{title}</p>
          {subtitle ? <p className="text-slate-600">{subtitle}</p> : null}
        </div>
        {progress ? <div className="text-right text-4xl font-semibold tabular-nums" data-testid="task-progress">{progress}</div> : null}
      </div>
      {children ? <div className="mt-4">{children}</div> : null}
    </section>
  );
}
