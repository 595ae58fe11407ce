// `npm run admin -- --email you@shop.example [--name "Your Name"]`: creates an admin with a one-time password, printed
// once (only a hash is stored), to be changed at first sign-in. The way in to a new shop's empty database, and back in
// to one whose admins are all locked out: with --reset, an existing user becomes an active admin with a new one-time
// password. Uses DATABASE_URL, else the embedded database (attaching to it if `npm start` is running it), migrated
// first, as `npm run apikey` does. Every change is audited like one made in Settings › People.
import { parseArgs } from 'node:util';
import { eq, sql } from 'drizzle-orm';
import { connect } from '@/db/client';
import { migrateDatabase } from '@/db/migrate';
import { provisionDatabase } from '@/db/provision';
import { users } from '@/db/schema';
import { personEmail, personName } from '@/lib/contracts/people';
import { systemActor } from '@/server/inventory/kernel/actor';
import { InventoryError } from '@/server/inventory/kernel/errors';
import { createPerson, resetPassword, setActive, setRole } from '@/server/people/users';

const usage = `Usage: npm run admin -- --email you@shop.example [--name "Your Name"] [--reset]
  --reset  the e-mail already has an account: make it an active admin with a new one-time password`;

function fail(message: string): never {
  console.error(`${message}\n\n${usage}`);
  process.exit(1);
}

function options() {
  let values;
  try {
    ({ values } = parseArgs({ options: { email: { type: 'string' }, name: { type: 'string' }, reset: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (e) {
    fail((e as Error).message);
  }
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const email = personEmail.safeParse(values.email ?? '');
  if (!email.success) fail(`--email: ${email.error.issues[0].message}`);
  const name = personName.safeParse(values.name ?? email.data.split('@')[0]);
  if (!name.success) fail(`--name: ${name.error.issues[0].message}`);
  return { email: email.data, name: name.data, reset: values.reset === true };
}

const input = options();
const actor = { actor: systemActor('npm run admin') };
const db = await provisionDatabase({ attach: true });
let code = 0;
try {
  await migrateDatabase(db.url);
  const conn = connect(db.url, { max: 1 });
  try {
    const [existing] = await conn.db.select().from(users).where(eq(sql`lower(${users.email})`, input.email));
    let password: string | undefined;
    if (!existing) {
      const created = await createPerson(conn.db, { name: input.name, email: input.email, role: 'admin' }, actor);
      password = created.oneTimePassword!;
      console.log(`Created admin ${created.person.name} <${created.person.email}>.`);
    } else if (input.reset) {
      await setActive(conn.db, { userId: existing.id, active: true }, actor);
      await setRole(conn.db, { userId: existing.id, role: 'admin' }, actor);
      password = (await resetPassword(conn.db, { userId: existing.id }, actor)).oneTimePassword;
      console.log(`${existing.name} <${existing.email}> is an active admin again, signed out everywhere.`);
    } else {
      console.error(`${input.email} already has an account. Add --reset to make it an active admin with a new one-time password.`);
      code = 1;
    }
    if (password) {
      console.log(`\n  One-time password:  ${password}\n`);
      console.log('This is the only time it is shown. Sign in with it; you will be asked to choose your own password at once.');
    }
  } catch (e) {
    if (!(e instanceof InventoryError)) throw e;
    console.error(e.message);
    code = 1;
  } finally {
    await conn.close();
  }
} finally {
  await db.stop();
}
process.exit(code);
