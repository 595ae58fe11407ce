import { and, eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { locations } from '@/db/schema';
import { makeWorld, testConnection } from '@/server/testing/fixtures';
import { lookupScan } from './scan-lookup';

const conn = testConnection();
afterAll(() => conn.close());

describe('lookupScan', () => {
  it('calls a scanned bin sellable by the availability rule, not by its flag alone', async () => {
    const w = await makeWorld(conn, { bins: ['RECV', 'PICK-01'] });
    await conn.db.update(locations).set({ sellable: true }).where(and(eq(locations.warehouseId, w.warehouseId), eq(locations.code, 'RECV')));

    const receiving = await lookupScan(conn.db, { code: 'recv', warehouse: w.warehouse });
    expect(receiving).toMatchObject({ kind: 'location', location: { code: 'RECV', kind: 'receiving', sellable: false } });
    const pick = await lookupScan(conn.db, { code: `${w.warehouse}:PICK-01` });
    expect(pick).toMatchObject({ kind: 'location', location: { warehouse: w.warehouse, code: 'PICK-01', kind: 'pick', sellable: true } });
  });
});
