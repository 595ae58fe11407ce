import { redirect } from 'next/navigation';
import { SignInForm } from '@/components/sign-in-form';
import { currentUser } from '@/server/auth/session';

export const metadata = { title: 'Sign in · Onhand' };

export default async function SignInPage() {
  if (await currentUser()) redirect('/stock');
  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <h1 className="mb-1 text-2xl font-semibold">Onhand</h1>
        <p className="mb-6 text-sm text-slate-600">Sign in to your warehouse.</p>
        <SignInForm />
      </div>
    </main>
  );
}
