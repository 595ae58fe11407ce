// `npm run seed`: demo data into an empty database (DATABASE_URL, or the embedded one).
import { connect } from '@/db/client';
import { migrateDatabase } from '@/db/migrate';
import { provisionDatabase } from '@/db/provision';
import { isEmpty, seedDemo } from '@/server/cli/demo/seed';

const db = await provisionDatabase({ attach: true });
try {
  await migrateDatabase(db.url);
  const conn = connect(db.url);
  if (await isEmpty(conn.db)) await seedDemo(conn.db, { log: console.log });
  else console.log('The database already has data; seeding skipped.');
  await conn.close();
} finally {
  await db.stop();
}
