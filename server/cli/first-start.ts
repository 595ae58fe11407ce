// What `npm start` does with the data before it starts anything: the demo (warehouses, products, and sign-ins with a
// published password) goes only into the embedded database, or into a DATABASE_URL when asked for explicitly
// (`npm start -- --demo`, or ONHAND_DEMO=1). A real shop's empty database gets no account anyone could guess: the
// operator creates the first admin with `npm run admin`, whose one-time password is printed once.
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { users } from '@/db/schema';
import { isEmpty, seedDemo } from './demo/seed';
import { demoUsers } from './demo/seed-data';

export const ADMIN_HINT = 'No one can sign in yet: create the first admin with  npm run admin -- --email you@shop.example [--name "Your Name"]';

export function demoRequested(argv: readonly string[], env: Record<string, string | undefined>): boolean {
  return argv.includes('--demo') || env.ONHAND_DEMO === '1';
}

export type Prepared = {
  seeded: boolean;
  // The demo's sign-ins exist in this database (seeded now or on an earlier start): worth printing.
  demoSignIns: boolean;
  // No active admin: nobody could add people, so the operator is told how to make one.
  needsAdmin: boolean;
};

export async function prepareData(db: Db, o: { embedded: boolean; demo: boolean; log: (s: string) => void; products?: number }): Promise<Prepared> {
  let seeded = false;
  if (await isEmpty(db)) {
    if (o.embedded || o.demo) {
      o.log('empty database: seeding demo data…');
      await seedDemo(db, { log: o.log, products: o.products });
      seeded = true;
    } else {
      o.log('empty database: no demo data (DATABASE_URL is set; add --demo or ONHAND_DEMO=1 to seed one)');
    }
  }
  const demoSignIns = (await db.$count(users, inArray(users.email, demoUsers.map((u) => u.email)))) > 0;
  const needsAdmin = (await db.$count(users, and(eq(users.role, 'admin'), eq(users.active, true)))) === 0;
  return { seeded, demoSignIns, needsAdmin };
}
