'use client';

import { useLive, type LiveStatus } from './use-live';

const look: Record<LiveStatus, { label: string; icon: string; cls: string }> = {
  connecting: { label: 'Connecting…', icon: '○', cls: 'text-slate-600' },
  live: { label: 'Live', icon: '●', cls: 'text-emerald-700' },
  reconnecting: { label: 'Reconnecting…', icon: '◌', cls: 'text-amber-800' },
  offline: { label: 'Offline', icon: '✕', cls: 'text-red-800' },
  signed_out: { label: 'Signed out', icon: '✕', cls: 'text-red-800' },
};

// Mounted once in the shell: keeps the realtime connection for every page and says whether figures are live,
// in text and a shape, never colour alone.
export function LiveConnection() {
  const status = useLive();
  const l = look[status];
  if (status === 'signed_out') {
    return (
      <span role="status" aria-live="polite" data-testid="live-status" data-status={status} className={`inline-flex items-center gap-1 text-xs font-medium ${l.cls}`}>
        <span aria-hidden="true">{l.icon}</span>
        {l.label} · <a href="/sign-in" className="underline">Sign in</a>
      </span>
    );
  }
  return (
    <span role="status" aria-live="polite" data-testid="live-status" data-status={status} className={`inline-flex items-center gap-1 text-xs font-medium ${l.cls}`}>
      <span aria-hidden="true">{l.icon}</span>
      {l.label}
    </span>
  );
}
