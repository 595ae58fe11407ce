import Link from 'next/link';
import { getDb } from '@/db/client';
import { ApiKeyForm } from '@/components/api-key-form';
import { KeyLimitForm } from '@/components/key-limit-form';
import { RevokeKeyButton } from '@/components/revoke-key-button';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Table } from '@/components/ui/table';
import { listApiKeys } from '@/server/auth/api-keys';
import { keyPerMinute } from '@/server/http/shared-limit';
import { requirePageRole } from '@/server/auth/session';

export const metadata = { title: 'Settings · Onhand' };

export default async function SettingsPage() {
  await requirePageRole('admin');
  const keys = await listApiKeys(getDb());
  const defaultPerMinute = keyPerMinute(null);
  return (
    <>
      <PageHeader title="Settings">
        <div className="flex gap-4">
          <Link href="/settings/people" className="text-sm text-brand-700 underline">
            People
          </Link>
          <Link href="/settings/channels" className="text-sm text-brand-700 underline">
            Storefront channels
          </Link>
        </div>
      </PageHeader>
      <section aria-labelledby="api-keys" className="space-y-4">
        <div>
          <h2 id="api-keys" className="text-lg font-medium">
            API keys
          </h2>
          <p className="text-sm text-slate-600">
            For storefront backends, ERPs and scanners calling <code>/api/v1</code> with <code>Authorization: Bearer …</code>.
          </p>
        </div>
        <ApiKeyForm defaultPerMinute={defaultPerMinute} />
        {keys.length === 0 ? (
          <EmptyState title="No API keys yet">Create one above; it is shown once.</EmptyState>
        ) : (
          <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
            <Table columns={['Name', 'Key', 'Scopes', 'Requests a minute', 'Last used', { label: <span className="sr-only">Actions</span> }]}>
              {keys.map((k) => (
                <tr key={k.id} className="border-t border-slate-100">
                  <td className="px-4 py-2">{k.name}</td>
                  <td className="px-4 py-2 font-mono text-xs">onh_{k.prefix}_…</td>
                  <td className="px-4 py-2">{k.scopes.join(', ')}</td>
                  <td className="px-4 py-2">
                    {k.revokedAt ? (k.perMinute ?? defaultPerMinute).toLocaleString('en') : <KeyLimitForm id={k.id} name={k.name} perMinute={k.perMinute} defaultPerMinute={defaultPerMinute} />}
                  </td>
                  <td className="px-4 py-2">{k.lastUsedAt ? k.lastUsedAt.toISOString().slice(0, 16).replace('T', ' ') : 'never'}</td>
                  <td className="px-4 py-2 text-right">
                    {k.revokedAt ? <span className="text-slate-500">Revoked</span> : <RevokeKeyButton id={k.id} name={k.name} />}
                  </td>
                </tr>
              ))}
            </Table>
          </div>
        )}
      </section>
    </>
  );
}
