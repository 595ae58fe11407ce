// `npm run apikey -- --name NAME --scopes stock:read,orders:write [--per-minute N]`: creates an API key and prints
// its secret, once (--per-minute: its rate limit, else the default); `npm run apikey -- --key ID --per-minute N`
// (or `--per-minute default`) changes an existing key's limit; only a hash is stored. Uses DATABASE_URL, else the embedded database under ONHAND_DATA_DIR (attaching to
// it if `npm start` is running it), migrated first, as `npm run seed` does.
import { parseArgs } from 'node:util';
import { connect } from '@/db/client';
import { migrateDatabase } from '@/db/migrate';
import { provisionDatabase } from '@/db/provision';
import { apiScopes, createApiKey, createApiKeyInput, setApiKeyLimit } from '@/server/auth/api-keys';

const usage = `Usage: npm run apikey -- --name NAME --scopes SCOPE[,SCOPE...] [--per-minute N]
       npm run apikey -- --key ID --per-minute N|default
Scopes: ${apiScopes.join(', ')}
--per-minute: requests a minute the key may make (1 to 1,000,000); without it, the default for every key.`;

function fail(message: string): never {
  console.error(`${message}\n\n${usage}`);
  process.exit(1);
}

function options() {
  let values;
  try {
    ({ values } = parseArgs({ options: { name: { type: 'string' }, scopes: { type: 'string' }, key: { type: 'string' }, 'per-minute': { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (e) {
    fail((e as Error).message);
  }
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const raw = values['per-minute']?.replace(/[\s,_]/g, '');
  const perMinute = raw === undefined || raw === 'default' ? null : /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (Number.isNaN(perMinute)) fail('--per-minute: a whole number of requests a minute, or "default"');
  if (values.key !== undefined) {
    if (!/^[0-9a-f-]{36}$/i.test(values.key)) fail('--key: the id of an API key (a UUID, as the settings page and key creation show)');
    if (raw === undefined) fail('--key: say the new limit with --per-minute N (or --per-minute default)');
    const checked = createApiKeyInput.shape.perMinute.safeParse(perMinute);
    if (!checked.success) fail(`--per-minute: ${checked.error.issues[0].message}`);
    return { change: { id: values.key, perMinute } } as const;
  }
  const scopes = (values.scopes ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const parsed = createApiKeyInput.safeParse({ name: values.name ?? '', scopes, perMinute });
  if (!parsed.success) fail(parsed.error.issues.map((i) => `--${i.path[0] === 'perMinute' ? 'per-minute' : String(i.path[0])}: ${i.message}`).join('\n'));
  return { create: parsed.data } as const;
}

const input = options();
const db = await provisionDatabase({ attach: true });
try {
  await migrateDatabase(db.url);
  const conn = connect(db.url, { max: 1 });
  try {
    if (input.change) {
      const { id, perMinute } = input.change;
      if (await setApiKeyLimit(conn.db, id, perMinute)) {
        const limit = perMinute === null ? 'the default limit' : `a limit of ${perMinute} requests a minute`;
        console.log(`API key ${id} now has ${limit} (every app process applies it within a few seconds).`);
      } else {
        console.error(`--key: no API key has the id ${id}`);
        process.exitCode = 1;
      }
    } else {
      const key = await createApiKey(conn.db, input.create, null);
      const limit = key.perMinute === null ? 'the default limit' : `${key.perMinute} requests a minute`;
      console.log(`Created API key "${key.name}" (id ${key.id}) with scopes ${key.scopes.join(', ')}, ${limit}.`);
      console.log(`\n  ${key.secret}\n`);
      console.log('This is the only time the secret is shown. Send it as  Authorization: Bearer <secret>');
    }
  } finally {
    await conn.close();
  }
} finally {
  await db.stop();
}
