import type { Feedback } from './use-feedback';

const look = {
  success: { icon: '✓', label: 'Done', cls: 'border-emerald-300 bg-emerald-50 text-emerald-950' },
  warning: { icon: '⚠', label: 'Check', cls: 'border-amber-300 bg-amber-50 text-amber-950' },
  error: { icon: '✕', label: 'Problem', cls: 'border-red-300 bg-red-50 text-red-950' },
  info: { icon: 'ℹ', label: 'Note', cls: 'border-slate-200 bg-slate-50 text-slate-800' },
} as const;

// One banner per floor screen: text and an icon, never colour alone, announced as it changes. Its height is
// reserved so a message appearing never pushes the task card down.
export function FeedbackBanner({ feedback, compact = false }: { feedback: Feedback | null; compact?: boolean }) {
  const l = feedback ? look[feedback.kind] : null;
  return (
    <div role="status" aria-live="polite" aria-label="Feedback" data-kind={feedback?.kind ?? 'none'} className={compact ? 'min-h-10' : 'min-h-14'}>
      {feedback && l ? (
        <p key={feedback.at} className={`flex items-start gap-3 rounded-lg border font-medium ${compact ? 'px-3 py-2 text-sm' : 'px-4 py-3 text-base'} ${l.cls}`}>
          <span aria-hidden="true" className="text-xl leading-6">
            {l.icon}
          </span>
          <span>
            <span className="sr-only">{l.label}: </span>
            {feedback.text}
          </span>
        </p>
      ) : null}
    </div>
  );
}
