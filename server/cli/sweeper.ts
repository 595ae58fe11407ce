// `npm run start:sweeper`: the background work alone (expired cart holds, idempotency pruning), for deployments
// that run it in one process of its own and set HOLD_SWEEP_SECONDS=0 on the apps. Needs DATABASE_URL; never seeds.
import { connect, databaseUrl } from '@/db/client';
import { startBackgroundWork, sweepSecondsFromEnv } from '@/server/inventory/commands/background-work';

const sweepSeconds = sweepSecondsFromEnv(process.env.SWEEPER_SECONDS ?? process.env.HOLD_SWEEP_SECONDS);
if (!sweepSeconds) throw new Error('SWEEPER_SECONDS must be a positive number of seconds');
const conn = connect(databaseUrl(), { max: 2 });
const work = startBackgroundWork(conn.db, { sweepSeconds, log: (line) => console.log(`[sweeper] ${line}`) });
console.log(`[sweeper] releasing expired holds every ${sweepSeconds} s`);
// The timers are unref'd (never the reason an app stays up); here they are the process's whole purpose.
const keepAlive = setInterval(() => {}, 1 << 30);

const stop = async () => {
  clearInterval(keepAlive);
  await work.stop();
  await conn.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
