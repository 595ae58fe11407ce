import Link from 'next/link';
import { roleLabel } from '@/lib/contracts/roles';
import type { Role } from '@/db/schema';

export const metadata = { title: 'Not allowed · Onhand' };

export default async function Forbidden({ searchParams }: { searchParams: Promise<{ need?: string }> }) {
  const { need } = await searchParams;
  const label = need && need in roleLabel ? roleLabel[need as Role] : 'another';
  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <div className="max-w-md rounded-xl border border-slate-200 bg-white p-8 text-center">
        <h1 className="mb-2 text-xl font-semibold">Not allowed</h1>
        <p className="mb-4 text-slate-600">This page needs the {label} role. Ask an admin if you need access.</p>
        <Link href="/stock" className="text-brand-600 underline">
          Back to stock
        </Link>
      </div>
    </main>
  );
}
