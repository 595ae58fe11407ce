import { headers } from 'next/headers';
import type { ReactNode } from 'react';
import { AppNav } from '@/components/app-nav';
import { LiveConnection } from '@/components/live/live-connection';
import { earlyScanScript } from '@/components/floor/early-scans';
import { roleLabel } from '@/lib/contracts/roles';
import { requirePageRole } from '@/server/auth/session';
import { signOut } from '../sign-in/actions';

// The app shell. Each page checks the session itself too: a layout is not re-run on client navigation.
export default async function ShellLayout({ children }: { children: ReactNode }) {
  const user = await requirePageRole('staff');
  // The page's Content-Security-Policy (proxy.ts) admits inline scripts by its nonce only.
  const nonce = /'nonce-([^']+)'/.exec((await headers()).get('content-security-policy') ?? '')?.[1];
  return (
    <div className="flex min-h-screen flex-col lg:flex-row">
      {/* First in the page so a scan typed while it loads is kept for the scan screen (see early-scans.ts). */}
      <script nonce={nonce} dangerouslySetInnerHTML={{ __html: earlyScanScript }} />
      <aside className="border-b border-slate-200 bg-white lg:w-56 lg:shrink-0 lg:border-r lg:border-b-0">
        <div className="flex items-center justify-between px-4 py-3 lg:block">
          <span className="text-lg font-semibold tracking-tight">Onhand</span>
          <div className="text-right text-xs text-slate-600 lg:mt-3 lg:text-left" data-testid="signed-in-user">
            <div className="font-medium text-slate-900">{user.name}</div>
            <div>{roleLabel[user.role]}</div>
          </div>
          <div className="lg:mt-2">
            <LiveConnection />
          </div>
        </div>
        <AppNav role={user.role} />
        <form action={signOut} className="hidden gap-4 px-4 py-3 lg:flex">
          <a href="/account" className="text-sm text-slate-600 underline hover:text-slate-900">
            Account
          </a>
          <button type="submit" className="text-sm text-slate-600 underline hover:text-slate-900">
            Sign out
          </button>
        </form>
      </aside>
      <main className="min-w-0 flex-1 p-4 lg:p-8">{children}</main>
      <form action={signOut} className="flex gap-4 border-t border-slate-200 bg-white px-4 py-3 lg:hidden">
        <a href="/account" className="text-sm text-slate-600 underline">
          Account
        </a>
        <button type="submit" className="text-sm text-slate-600 underline">
          Sign out
        </button>
      </form>
    </div>
  );
}
