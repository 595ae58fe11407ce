'use client';

import { useActionState, useState } from 'react';
import { saveChannelAction } from '@/app/(shell)/settings/channels/actions';
import { idle } from '@/lib/contracts/action-state';
import type { StorefrontChannel } from '@/server/storefront/channels';
import { Field } from '../ui/field';
import { FormMessage } from '../ui/form-message';
import { SubmitButton } from '../ui/submit-button';

type Warehouse = { id: number; code: string; name: string };

// Create (no channel given) or edit one channel. Warehouses: none ticked means every warehouse.
export function ChannelForm({ channel, warehouses }: { channel?: StorefrontChannel; warehouses: Warehouse[] }) {
  const [state, action, pending] = useActionState(saveChannelAction, idle);
  const [chosen, setChosen] = useState<string[]>(warehouses.filter((w) => channel?.warehouseIds.includes(w.id)).map((w) => w.code));
  // Controlled, so a refused submit keeps what was typed (React resets uncontrolled fields after an action).
  const [values, setValues] = useState({
    key: '',
    name: channel?.name ?? '',
    lowStockThreshold: channel?.lowStockThreshold?.toString() ?? '',
    origins: channel?.allowedOrigins.join('\n') ?? '',
    buffer: channel?.buffer ? String(channel.buffer) : '',
  });
  // Once a new channel is created the blank form is ready for the next one.
  const [handled, setHandled] = useState(state.at);
  if (!channel && state.status === 'ok' && state.at !== handled) {
    setHandled(state.at);
    setValues({ key: '', name: '', lowStockThreshold: '', origins: '', buffer: '' });
    setChosen([]);
  }
  const bind = (field: keyof typeof values) => ({
    value: values[field],
    onChange: (e: { target: { value: string } }) => setValues((v) => ({ ...v, [field]: e.target.value })),
  });
  const errors = state.status === 'error' ? state.fieldErrors : undefined;
  const id = channel ? `ch-${channel.key}` : 'ch-new';
  return (
    <form action={action} className="space-y-3" aria-label={channel ? `Channel ${channel.key}` : 'New channel'}>
      <div className="grid gap-3 sm:grid-cols-4">
        {channel ? (
          <input type="hidden" name="key" value={channel.key} />
        ) : (
          <Field id={`${id}-key`} label="Key" name="key" placeholder="web-shop" {...bind('key')} errors={errors?.key} hint="Used in the embed code: channel=&quot;…&quot;" />
        )}
        <Field id={`${id}-name`} label="Name" name="name" {...bind('name')} placeholder="Web shop" errors={errors?.name} />
        <Field
          id={`${id}-threshold`}
          label="“Only N left” at or under"
          name="lowStockThreshold"
          inputMode="numeric"
          {...bind('lowStockThreshold')}
          placeholder="each product’s threshold"
          errors={errors?.lowStockThreshold}
        />
        <Field
          id={`${id}-buffer`}
          label="Keep back (buffer)"
          name="buffer"
          inputMode="numeric"
          {...bind('buffer')}
          placeholder="0"
          hint="Units of each product this channel never sells"
          errors={errors?.buffer}
        />
      </div>
      <fieldset>
        <legend className="mb-1 text-sm font-medium text-slate-700">Sells from</legend>
        <div className="flex flex-wrap gap-4">
          {warehouses.map((w) => (
            <label key={w.id} className="flex min-h-11 items-center gap-2 text-sm">
              <input
                type="checkbox"
                checked={chosen.includes(w.code)}
                onChange={(e) => setChosen((c) => (e.target.checked ? [...c, w.code] : c.filter((x) => x !== w.code)))}
              />
              {w.code} <span className="text-slate-500">{w.name}</span>
            </label>
          ))}
        </div>
        <p className="text-xs text-slate-500">{chosen.length ? `${chosen.length} of ${warehouses.length} warehouses` : 'Every warehouse (none ticked), including ones added later'}</p>
        <input type="hidden" name="warehouses" value={chosen.join(',')} />
        {errors?.warehouses ? <p className="mt-1 text-sm text-red-700">{errors.warehouses[0]}</p> : null}
      </fieldset>
      <div>
        <label htmlFor={`${id}-origins`} className="mb-1 block text-sm font-medium text-slate-700">
          Storefront origins allowed to read it
        </label>
        <textarea
          id={`${id}-origins`}
          name="origins"
          rows={2}
          {...bind('origins')}
          placeholder={'https://shop.example\nhttps://www.shop.example'}
          aria-invalid={errors?.origins ? true : undefined}
          aria-describedby={`${id}-origins-hint`}
          className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-sm shadow-sm aria-invalid:border-red-500"
        />
        <p id={`${id}-origins-hint`} className="mt-1 text-xs text-slate-500">
          One per line, as the browser sends it (scheme://host[:port]). Pages elsewhere get no CORS grant and no socket. * allows any page.
        </p>
        {errors?.origins ? <p className="mt-1 text-sm text-red-700">{errors.origins[0]}</p> : null}
      </div>
      <FormMessage state={state} />
      <SubmitButton pending={pending}>{channel ? 'Save channel' : 'Create channel'}</SubmitButton>
    </form>
  );
}
