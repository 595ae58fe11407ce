// A readers-writer lock on the broker itself, for tests: every test file that uses RabbitMQ holds it shared,
// and the broker-restart test holds it alone. It spans processes and separate test runs (two engineers, or CI,
// on one machine share one broker), which a database lock cannot: each run has its own database.
// Locks are exclusive queues, which the broker drops with their connection, so a crashed holder frees its lock.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { connect, type ChannelModel } from 'amqplib';

const run = promisify(execFile);
const WRITER = 'onhand-test-lock.writer';
const READER = 'onhand-test-lock.reader.';
const WAIT_MS = 200_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Declares an exclusive queue; false when another connection owns it (405 RESOURCE_LOCKED).
async function claim(conn: ChannelModel, queue: string): Promise<boolean> {
  const ch = await conn.createChannel();
  ch.on('error', () => {});
  try {
    await ch.assertQueue(queue, { exclusive: true, durable: false });
    await ch.close();
    return true;
  } catch (e) {
    if ((e as { code?: number }).code === 405) return false;
    throw e;
  }
}

async function readers(): Promise<string[]> {
  const { stdout } = await run('rabbitmqctl', ['list_queues', 'name', '-q']);
  return stdout.split('\n').map((l) => l.trim()).filter((n) => n.startsWith(READER));
}

export async function holdBroker(url: string, mode: 'shared' | 'exclusive'): Promise<() => Promise<void>> {
  const conn = await connect(url, { clientProperties: { connection_name: 'onhand-amqp-test-lock' } });
  conn.on('error', () => {});
  const deadline = Date.now() + WAIT_MS;
  const check = (what: string) => {
    if (Date.now() > deadline) throw new Error(`waited ${WAIT_MS / 1000} s for ${what}`);
  };
  // Holding the writer queue, even for a moment, means no restart is under way or can start meanwhile.
  while (!(await claim(conn, WRITER))) {
    check('a broker restart in another test to finish');
    await sleep(250);
  }
  if (mode === 'shared') {
    await claim(conn, `${READER}${randomBytes(6).toString('hex')}`);
    const ch = await conn.createChannel();
    await ch.deleteQueue(WRITER);
    await ch.close();
  } else {
    while ((await readers()).length) {
      check('the other tests using the broker to finish');
      await sleep(500);
    }
  }
  // Closing the connection drops its queues, and with them the lock (a broker restart does the same).
  return () => conn.close().catch(() => {});
}
