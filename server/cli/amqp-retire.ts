// `npm run amqp:retire -- [--prefix onhand] [--force]`: drops the AMQP connector's replication slot and its
// position once the connector is retired, so PostgreSQL stops keeping WAL for it. Uses DATABASE_URL, else the
// embedded database (attaching to a running `npm start`).
import { parseArgs } from 'node:util';
import { connect } from '@/db/client';
import { provisionDatabase } from '@/db/provision';
import { retireConnectorSlot } from '@/server/connectors/amqp/retire';

const { values } = parseArgs({ options: { prefix: { type: 'string' }, force: { type: 'boolean' } } });
const db = await provisionDatabase({ attach: true });
const conn = connect(db.url, { max: 1 });
try {
  const r = await retireConnectorSlot(conn.db, { prefix: values.prefix ?? process.env.AMQP_PREFIX, force: values.force });
  if (r.refused) {
    console.error(`Not dropped: ${r.refused}.`);
    process.exitCode = 1;
  } else if (r.dropped) {
    console.log(`Dropped replication slot ${r.slot}; it held ${Math.round((r.retainedWalBytes ?? 0) / 1024 / 1024)} MiB of WAL, which PostgreSQL may now recycle.`);
  } else {
    console.log(`No replication slot ${r.slot} in this database: nothing to drop.`);
  }
} finally {
  await conn.close();
  await db.stop();
}
