// What each hot command costs on the wire, counted on a real connection through a counting proxy: each command runs
// once to warm the connection (its statements prepared), then once measured. A change that adds a round trip to a
// command fails here; a change that removes one lowers the budget.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { connect, type Connection } from '@/db/client';
import { makeWorld, uid, type World } from '@/server/testing/fixtures';
import { startWireCounter, type WireCount, type WireCounter } from '@/server/testing/wire-counter';
import { adjust } from './commands/adjust';
import { allocateOrder } from './commands/allocate-order';
import { count } from './commands/count';
import { pick } from './commands/pick';
import { receive } from './commands/receive';
import { release } from './commands/release';
import { reserve } from './commands/reserve';
import { transfer } from './commands/transfer';
import { levelsOf, opts, stock } from './test-support';

// Round trips per warm command, at most. Statements are printed, not asserted.
const budget: Record<string, number> = {
  hold: 1,
  'hold (idempotency key)': 1,
  release: 1,
  'order placement': 1,
  receive: 1,
  pick: 1,
  adjust: 1,
  transfer: 1,
  count: 1,
};

let wire: WireCounter;
let conn: Connection;
let w: World;
const measured: Record<string, WireCount> = {};

beforeAll(async () => {
  wire = await startWireCounter(inject('databaseUrl'));
  // One connection, so every statement of a command and of its warm-up goes over the same (counted) socket.
  conn = connect(wire.url, { max: 1 });
  w = await makeWorld(conn, { bins: ['RECV', 'A-01', 'A-02', 'PICK-01', 'SHIP'], products: 3 });
  for (const sku of w.skus) await stock(conn, w, sku, { 'PICK-01': 500, 'A-01': 500, 'A-02': 500 });
});
afterAll(async () => {
  const rows = Object.entries(measured).map(([command, c]) => ({ command, statements: c.statements.length, roundTrips: c.roundTrips, budget: budget[command] }));
  console.table(rows);
  if (process.env.ROUND_TRIPS_LOG) for (const [command, c] of Object.entries(measured)) console.log(`${command}:\n  ${c.statements.join('\n  ')}`);
  await conn?.close();
  await wire?.close();
});

// Runs the command twice (the first warms the connection) and checks the second against its budget.
async function costOf(name: string, run: () => Promise<unknown>) {
  await run();
  const c = await wire.measure(run);
  measured[name] = c;
  expect(c.roundTrips, `${name}: ${c.statements.join(' | ')}`).toBeLessThanOrEqual(budget[name]);
}

const at = (location: string) => ({ warehouse: w.warehouse, location });

describe('round trips per hot command', () => {
  it('hold', () => costOf('hold', () => reserve(conn.db, { sku: w.skus[0], qty: 1, reference: 'cart' }, opts)));

  it('hold with an idempotency key', () =>
    costOf('hold (idempotency key)', () => reserve(conn.db, { sku: w.skus[0], qty: 1 }, { ...opts, idempotencyKey: `k-${uid()}` })));

  it('release', async () => {
    const holds = [await reserve(conn.db, { sku: w.skus[0], qty: 1 }, opts), await reserve(conn.db, { sku: w.skus[0], qty: 1 }, opts)];
    await costOf('release', () => release(conn.db, { id: holds.pop()!.id }, opts));
  });

  it('order placement', () =>
    costOf('order placement', () => allocateOrder(conn.db, { reference: `SO-${uid()}`, lines: [{ sku: w.skus[1], qty: 2 }] }, opts)));

  it('receive', () => costOf('receive', () => receive(conn.db, { sku: w.skus[2], ...at('RECV'), qty: 3 }, opts)));

  it('pick', async () => {
    const o = await allocateOrder(conn.db, { reference: `SO-${uid()}`, lines: [{ sku: w.skus[1], qty: 3 }] }, opts);
    await costOf('pick', () => pick(conn.db, { orderId: o.id, sku: w.skus[1], ...at('PICK-01'), qty: 1 }, opts));
  });

  it('adjust', () => costOf('adjust', () => adjust(conn.db, { sku: w.skus[2], ...at('A-01'), delta: 1, reason: 'found' }, opts)));

  it('transfer', () => costOf('transfer', () => transfer(conn.db, { sku: w.skus[2], from: at('A-01'), to: at('A-02'), qty: 1 }, opts)));

  it('count', async () => {
    let seen = (await levelsOf(conn, w, w.skus[2]))['A-02'].onHand;
    await costOf('count', async () => {
      const r = await count(conn.db, { sku: w.skus[2], ...at('A-02'), expected: seen, counted: seen + 1 }, opts);
      seen = r.onHand;
    });
  });
});
