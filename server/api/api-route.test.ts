// The wrapper's own behaviour, on small routes built for the test.
import { afterAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { getConnection } from '@/db/client';
import { InventoryError } from '@/server/inventory/kernel/errors';
import { testConnection } from '@/server/testing/fixtures';
import { captureLogs } from '@/server/observability/log';
import { apiRoute, publicRoute, respond } from './api-route';
import { call, expectProblem, makeKey, request } from './test-support';

const conn = testConnection();
afterAll(async () => {
  await conn.close();
  await getConnection().close();
});

describe('errors', () => {
  it('an unexpected error is logged and answered 500 with a generic problem that shows no internals', async () => {
    const log = captureLogs();
    const route = publicRoute({
      handler: async () => {
        throw new Error('connection to 10.0.0.5:5432 refused; password=hunter2');
      },
    });
    const a = await call(route, request('GET', '/api/v1/x'));
    expectProblem(a, 500, 'internal_error');
    expect(a.text).not.toMatch(/10\.0\.0\.5|hunter2|Error|stack/);
    expect(a.body.instance).toMatch(/^urn:uuid:/);
    log.restore();
    const errors = log.lines.filter((l) => l.level === 'error');
    expect(errors).toHaveLength(1);
    // The log keeps what the answer hides, under the id the answer names, with the request's id.
    expect(errors[0]).toMatchObject({ errorId: a.body.instance.slice('urn:uuid:'.length), requestId: a.headers.get('x-request-id'), where: 'GET /api/v1/x' });
    expect(JSON.stringify(errors[0].err)).toContain('hunter2');
  });

  it("a core error's public details become problem members; one named like a problem member is renamed", async () => {
    const route = publicRoute({
      handler: async () => {
        throw new InventoryError('invalid_state', 'Order SO-1 has shipped; it cannot be cancelled.', { reference: 'SO-1', status: 'shipped' });
      },
    });
    const a = await call(route, request('GET', '/api/v1/x'));
    expectProblem(a, 409, 'invalid_state');
    expect(a.body).toEqual({
      type: 'https://onhand.dev/problems/invalid_state',
      title: 'Not allowed in the current state',
      status: 409,
      detail: 'Order SO-1 has shipped; it cannot be cancelled.',
      reference: 'SO-1',
      state: 'shipped',
    });
  });
});

describe('order of checks', () => {
  const route = apiRoute({
    scope: 'stock:write',
    body: z.object({ n: z.number() }),
    handler: async ({ body, opts }) => Response.json({ n: body.n, actor: opts.actor, idempotencyKey: opts.idempotencyKey }),
  });

  it('passes the parsed body, the key as actor and the Idempotency-Key to the handler', async () => {
    const key = await makeKey(conn, ['stock:write']);
    const a = await call(route, request('POST', '/api/v1/x', { key, body: { n: 1, extra: true }, idem: ' k-1 ' }));
    expect(a.status).toBe(200);
    expect(a.body).toEqual({ n: 1, actor: { kind: 'api_key', id: key.id, label: key.name }, idempotencyKey: 'k-1' });
  });

  it('authenticates before it reads the body, and authorizes before it asks for an Idempotency-Key', async () => {
    const reader = await makeKey(conn, ['stock:read']);
    expectProblem(await call(route, request('POST', '/api/v1/x', { raw: '{', idem: null })), 401, 'unauthorized');
    expectProblem(await call(route, request('POST', '/api/v1/x', { key: reader, raw: '{', idem: null })), 403, 'forbidden');
  });
});

it('respond() puts keys in the documented order, and answers a drifted shape as it is (logged) rather than failing', async () => {
  const schema = z.object({ id: z.string(), qty: z.number() });
  expect(await respond(schema, { qty: 1, id: 'a' }).text()).toBe('{"id":"a","qty":1}');
  const log = captureLogs();
  const drifted = respond(schema, { id: 'a', qty: 'one' } as never, 201);
  expect(drifted.status).toBe(201);
  expect(await drifted.json()).toEqual({ id: 'a', qty: 'one' });
  log.restore();
  expect(log.lines.filter((l) => l.level === 'error')).toHaveLength(1);
});
