import type { OneTimePassword } from '@/lib/contracts/people';

// Shown once, right after it was made: only a hash is stored.
export function OneTimePasswordNote({ value }: { value: OneTimePassword }) {
  return (
    <p className="rounded-md bg-slate-900 p-3 text-sm text-white">
      <span className="sr-only">One-time password for {value.email}: </span>
      <output className="font-mono text-base break-all select-all" data-testid="one-time-password">
        {value.oneTimePassword}
      </output>
    </p>
  );
}
