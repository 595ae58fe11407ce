// The dashboard wrapper answers every failure with the public API's problem shape, on small routes built for the test.
import { captureLogs } from '@/server/observability/log';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));
vi.mock('next/headers', async () => (await import('@/server/testing/request-scope')).nextHeadersMock);

import { z } from 'zod';
import { getConnection } from '@/db/client';
import { BASE, call, expectProblem } from '@/server/api/test-support';
import { notFound } from '@/server/inventory/kernel/errors';
import { testConnection } from '@/server/testing/fixtures';
import { anonymous, as, signInAs, type TestSession } from '@/server/testing/request-scope';
import { dashboardRoute } from './route';

const conn = testConnection();
let staff: TestSession;
beforeAll(async () => {
  staff = await signInAs(conn, 'staff');
});
afterAll(async () => {
  await conn.close();
  await getConnection().close();
});

const get = (s: TestSession, route: ReturnType<typeof dashboardRoute>, query = '') =>
  as(s, () => call(route, new Request(`${BASE}/api/dashboard/x${query}`)));

describe('dashboardRoute', () => {
  const route = dashboardRoute('staff', z.object({ sku: z.string().min(1).max(8) }), async ({ sku }) => {
    if (sku === 'GONE') throw notFound('sku', sku);
    if (sku === 'BUG') throw new Error('connection to 10.0.0.5:5432 refused');
    return { sku };
  });

  it('refuses with problem+json carrying a title, like the public API: no session, missing role, bad query', async () => {
    expectProblem(await get(anonymous, route, '?sku=A'), 401, 'unauthorized');
    expectProblem(await get(staff, dashboardRoute('manager', z.object({}), async () => ({})), ''), 403, 'forbidden');
    const bad = await get(staff, route, `?sku=${'x'.repeat(9)}`);
    expectProblem(bad, 422, 'validation_failed');
    expect(bad.body).toMatchObject({ title: 'The request is not valid', detail: 'The query is not valid.', errors: [{ field: 'sku', message: expect.any(String) }] });
  });

  it('a core error keeps its public figures; an unexpected one is logged under an id the answer quotes', async () => {
    const gone = await get(staff, route, '?sku=GONE');
    expectProblem(gone, 404, 'not_found');
    expect(gone.body.sku).toBe('GONE');
    const log = captureLogs();
    const bug = await get(staff, route, '?sku=BUG');
    expectProblem(bug, 500, 'internal_error');
    expect(bug.text).not.toMatch(/10\.0\.0\.5/);
    log.restore();
    expect(log.lines.find((l) => l.level === 'error')).toMatchObject({ errorId: bug.body.instance.slice('urn:uuid:'.length) });
  });

  it('answers private, never-cached JSON', async () => {
    const ok = await get(staff, route, '?sku=A');
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ sku: 'A' });
    expect(ok.headers.get('cache-control')).toBe('private, no-store');
  });
});
