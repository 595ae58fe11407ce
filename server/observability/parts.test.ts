// /api/health under `npm start`: the parts file the supervisor writes makes the answer degraded, naming the part,
// while the app itself answers 200; without the file (another process manager) it says nothing about parts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { PARTS_FILE_ENV, writeParts, type PartStatus } from './parts';

process.env.DATABASE_URL = inject('databaseUrl');
const { GET: health } = await import('@/app/api/health/route');

const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'onhand-parts-')), 'parts.json');
// Connector tests elsewhere open replication slots in the same database; the slots' own test covers that part.
const body = async (res: Response) => {
  const { replicationSlots: _, ...rest } = await res.json();
  return rest;
};
const status = (state: PartStatus['state']): PartStatus => ({ state, pid: state === 'running' ? 123 : null, restarts: 0, lastExit: null, since: new Date().toISOString() });

afterEach(() => {
  delete process.env[PARTS_FILE_ENV];
});

describe('/api/health and the parts file', () => {
  it('answers degraded, naming the parts that are not running', async () => {
    process.env[PARTS_FILE_ENV] = file;
    writeParts(file, { supervisor: 1, updatedAt: new Date().toISOString(), parts: { app: status('running'), realtime: status('failed'), amqp: status('restarting') } });
    const res = await health();
    expect(res.status).toBe(200);
    expect(await body(res)).toEqual({
      ok: true,
      status: 'degraded',
      database: 'up',
      parts: { app: 'running', realtime: 'failed', amqp: 'restarting' },
      degraded: ['realtime', 'amqp'],
    });
  });

  it('answers ok when every part runs', async () => {
    process.env[PARTS_FILE_ENV] = file;
    writeParts(file, { supervisor: 1, updatedAt: new Date().toISOString(), parts: { app: status('running'), realtime: status('running') } });
    expect(await body(await health())).toEqual({ ok: true, status: 'ok', database: 'up', parts: { app: 'running', realtime: 'running' } });
  });

  it('says nothing about parts without a supervisor', async () => {
    expect(await body(await health())).toEqual({ ok: true, status: 'ok', database: 'up' });
  });
});
