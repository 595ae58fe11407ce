// `npm run apikey -- --name NAME --scopes stock:read,orders:write`: creates an API key and prints its secret,
// once; only a hash is stored. Uses DATABASE_URL, else the embedded database under ONHAND_DATA_DIR (attaching to
// it if `npm start` is running it), migrated first, as `npm run seed` does.
import { parseArgs } from 'node:util';
import { connect } from '@/db/client';
import { migrateDatabase } from '@/db/migrate';
import { provisionDatabase } from '@/db/provision';
import { apiScopes, createApiKey, createApiKeyInput } from '@/server/auth/api-keys';

const usage = `Usage: npm run apikey -- --name NAME --scopes SCOPE[,SCOPE...]
Scopes: ${apiScopes.join(', ')}`;

function fail(message: string): never {
  console.error(`${message}\n\n${usage}`);
  process.exit(1);
}

function options() {
  let values;
  try {
    ({ values } = parseArgs({ options: { name: { type: 'string' }, scopes: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (e) {
    fail((e as Error).message);
  }
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const scopes = (values.scopes ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const parsed = createApiKeyInput.safeParse({ name: values.name ?? '', scopes });
  if (!parsed.success) fail(parsed.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('\n'));
  return parsed.data;
}

const input = options();
const db = await provisionDatabase({ attach: true });
try {
  await migrateDatabase(db.url);
  const conn = connect(db.url, { max: 1 });
  try {
    const key = await createApiKey(conn.db, input, null);
    console.log(`Created API key "${key.name}" (id ${key.id}) with scopes ${key.scopes.join(', ')}.`);
    console.log(`\n  ${key.secret}\n`);
    console.log('This is the only time the secret is shown. Send it as  Authorization: Bearer <secret>');
  } finally {
    await conn.close();
  }
} finally {
  await db.stop();
}
