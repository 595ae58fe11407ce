import Link from 'next/link';
import { getDb } from '@/db/client';
import { CreatePersonForm } from '@/components/people/create-person-form';
import { ActiveForm, ResetPasswordForm, RoleForm } from '@/components/people/person-actions';
import { PageHeader } from '@/components/ui/page-header';
import { Table } from '@/components/ui/table';
import { requirePageRole } from '@/server/auth/session';
import { listPeople } from '@/server/people/users';

export const metadata = { title: 'People · Onhand' };

const when = (iso: string | null) => (iso ? iso.slice(0, 16).replace('T', ' ') : 'never');

export default async function PeoplePage() {
  const me = await requirePageRole('admin');
  const people = await listPeople(getDb());
  return (
    <>
      <PageHeader title="People">
        <Link href="/settings" className="text-sm text-brand-700 underline">
          API keys
        </Link>
      </PageHeader>
      <p className="mb-4 max-w-3xl text-sm text-slate-600">
        Who signs in to Onhand, and with which role. A new person gets a one-time password and must choose their own at first sign-in. Deactivating or
        demoting someone signs them out everywhere at once, live screens included.
      </p>
      <section aria-labelledby="add-person" className="mb-8 space-y-2">
        <h2 id="add-person" className="text-lg font-medium">
          Add a person
        </h2>
        <CreatePersonForm />
      </section>
      <section aria-labelledby="everyone" className="space-y-2">
        <h2 id="everyone" className="text-lg font-medium">
          Everyone ({people.length})
        </h2>
        <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
          <Table columns={['Name', 'E-mail', 'Role', 'Status', 'Last sign-in', { label: <span className="sr-only">Actions</span> }]} caption="People who can sign in">
            {people.map((p) => (
              <tr key={p.id} className="border-t border-slate-100 align-top" data-testid="person-row" data-email={p.email}>
                <td className="px-4 py-2 font-medium">
                  {p.name}
                  {p.id === me.id ? <span className="ml-1 text-xs text-slate-500">(you)</span> : null}
                </td>
                <td className="px-4 py-2">{p.email}</td>
                <td className="px-4 py-2">
                  <RoleForm person={p} />
                </td>
                <td className="px-4 py-2">
                  {p.active ? 'Active' : <span className="font-medium text-red-800">✕ Deactivated</span>}
                  {p.active && p.mustChangePassword ? <div className="text-xs text-slate-500">One-time password not yet changed</div> : null}
                </td>
                <td className="px-4 py-2 whitespace-nowrap">{when(p.lastSignedInAt)}</td>
                <td className="space-y-2 px-4 py-2">
                  <ActiveForm person={p} />
                  <ResetPasswordForm person={p} />
                </td>
              </tr>
            ))}
          </Table>
        </div>
      </section>
    </>
  );
}
