// The entry point as `npm start` runs it: a process configured by the environment, healthy once connected,
// serving /metrics, and gone cleanly on SIGTERM.
import { inject } from 'vitest';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort } from '@/db/provision';
import { startChild, stopChild, tsEntry, waitForHttp } from '@/server/cli/processes';
import { testConnection } from '@/server/testing/fixtures';
import { createChangeStream } from './change-stream';
import { deleteTestTopology, holdBroker, rabbitUrl, testPrefix } from './test-support';
import { topologyNames } from './topology';

const conn = testConnection(2);
const prefix = testPrefix();
let releaseBroker: () => Promise<void>;

beforeAll(async () => {
  releaseBroker = await holdBroker('shared');
});

afterAll(async () => {
  const names = topologyNames(prefix);
  await createChangeStream({ db: conn.db, slot: names.slot, publication: 'onhand_amqp', exchange: names.stock }).drop();
  await deleteTestTopology(prefix);
  await releaseBroker?.();
  await conn.close();
});

it('starts from the environment, reports healthy, serves metrics and stops on SIGTERM', async () => {
  const port = await freePort();
  const child = startChild(
    'amqp',
    tsEntry('server/connectors/amqp/main.ts'),
    { ...process.env, DATABASE_URL: inject('databaseUrl'), AMQP_URL: rabbitUrl(), AMQP_PREFIX: prefix, AMQP_METRICS_PORT: String(port), METRICS_TOKEN: 'main-metrics-token' },
    { quiet: true },
  );
  try {
    await waitForHttp(`http://127.0.0.1:${port}/health`, 30_000);
    const health = await (await fetch(`http://127.0.0.1:${port}/health`)).json();
    expect(health).toMatchObject({ ok: true, inbound: { up: true }, outbound: { streaming: true } });
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(401);
    const scrape = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: 'Bearer main-metrics-token' } });
    expect(await scrape.text()).toMatch(/onhand_amqp_connection_up\{role="outbound"\} 1/);
  } finally {
    await stopChild(child);
  }
  expect(child.proc.exitCode).toBe(0);
});
