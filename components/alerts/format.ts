// Fixed formats (UTC, en-GB) so the server's first render and the browser's hydration print the same text.
const date = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
const dateTime = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });

export const fmtDate = (iso: string | null) => (iso ? date.format(new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso)) : '—');
export const fmtDateTime = (iso: string | null) => (iso ? `${dateTime.format(new Date(iso))} UTC` : '—');

export function fmtCover(days: number | null): string {
  if (days === null) return 'no picks';
  if (days === 0) return '0 days';
  if (days < 1) return 'under a day';
  return `${days < 10 ? days.toFixed(1) : Math.round(days)} days`;
}

export const fmtVelocity = (v: number) => (v === 0 ? '0 a day' : `${v < 10 ? v.toFixed(1) : Math.round(v)} a day`);

// Ledger and alert actors are "user:email", "system:seed", "api_key:name": people read the part after the colon.
export const actorLabel = (actor: string | null) => (actor ? actor.replace(/^(user|system|api_key):/, '') : '—');
