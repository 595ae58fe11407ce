import Link from 'next/link';
import { redirect } from 'next/navigation';
import { ChangePasswordForm } from '@/components/people/change-password-form';
import { roleLabel } from '@/lib/contracts/roles';
import { currentUser } from '@/server/auth/session';
import { signOut } from '../sign-in/actions';

export const metadata = { title: 'Account · Onhand' };

// Outside the shell on purpose: someone signed in with a one-time password sees this page and nothing else.
export default async function AccountPage() {
  const user = await currentUser();
  if (!user) redirect('/sign-in');
  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <h1 className="mb-1 text-2xl font-semibold">{user.mustChangePassword ? 'Choose your password' : 'Change your password'}</h1>
        <p className="mb-6 text-sm text-slate-600">
          {user.name} · {user.email} · {roleLabel[user.role]}
        </p>
        {user.mustChangePassword ? (
          <p className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900" role="note">
            You signed in with a one-time password. Choose your own to continue; the one-time password then stops working.
          </p>
        ) : null}
        <ChangePasswordForm email={user.email} />
        <div className="mt-6 flex justify-between text-sm">
          {user.mustChangePassword ? <span /> : (
            <Link href="/stock" className="text-brand-700 underline">
              Back to Onhand
            </Link>
          )}
          <form action={signOut}>
            <button type="submit" className="text-slate-600 underline hover:text-slate-900">
              Sign out
            </button>
          </form>
        </div>
      </div>
    </main>
  );
}
