import Link from 'next/link';
import { getDb } from '@/db/client';
import { ChannelForm } from '@/components/channels/channel-form';
import { DeleteChannelButton } from '@/components/channels/delete-channel-button';
import { PageHeader } from '@/components/ui/page-header';
import { requirePageRole } from '@/server/auth/session';
import { warehouseList } from '@/server/inventory/read/warehouses';
import { DEFAULT_CHANNEL, loadChannels } from '@/server/storefront/channels';

export const metadata = { title: 'Storefront channels · Onhand' };

export default async function ChannelsPage() {
  await requirePageRole('admin');
  const db = getDb();
  const [channels, warehouses] = await Promise.all([loadChannels(db), warehouseList(db)]);
  const realtime = process.env.REALTIME_PUBLIC_URL ?? `http://localhost:${process.env.REALTIME_PORT ?? 3001}`;
  return (
    <>
      <PageHeader title="Storefront channels">
        <Link href="/settings" className="text-sm text-brand-700 underline">
          API keys
        </Link>
      </PageHeader>
      <p className="mb-6 max-w-3xl text-sm text-slate-600">
        A channel is what a storefront&apos;s availability badges read: the warehouses it sells from, the pages allowed to read it, and when its badge
        says &ldquo;Only N left&rdquo;. Holds and orders placed for a channel take stock only from its warehouses, and never the units it keeps
        back (its buffer), which its badge does not count either. Changes reach open badges within a second.
      </p>
      <div className="space-y-6">
        {channels.map((c) => (
          <section key={c.key} aria-labelledby={`h-${c.key}`} className="space-y-4 rounded-xl border border-slate-200 bg-white p-4">
            <div className="flex flex-wrap items-center justify-between gap-2">
              <h2 id={`h-${c.key}`} className="text-lg font-medium">
                {c.name} <code className="text-sm text-slate-500">{c.key}</code>
              </h2>
              {c.key === DEFAULT_CHANNEL ? <span className="text-sm text-slate-500">Answers requests that name no channel</span> : <DeleteChannelButton channelKey={c.key} />}
            </div>
            <ChannelForm channel={c} warehouses={warehouses} />
            <details>
              <summary className="min-h-11 cursor-pointer text-sm font-medium text-brand-700">Embed code</summary>
              <pre className="mt-2 overflow-x-auto rounded-md bg-slate-900 p-3 text-xs text-white">
                {`<script src="${realtime}/embed/availability.js" async></script>\n<onhand-availability sku="YOUR-SKU" channel="${c.key}"></onhand-availability>`}
              </pre>
            </details>
          </section>
        ))}
        <section aria-labelledby="h-new" className="space-y-4 rounded-xl border border-dashed border-slate-300 bg-white p-4">
          <h2 id="h-new" className="text-lg font-medium">
            New channel
          </h2>
          <ChannelForm warehouses={warehouses} />
        </section>
      </div>
    </>
  );
}
