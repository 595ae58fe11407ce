import type { Db } from '@/db/client';
import { apiRoute, respond } from '@/server/api/api-route';
import { reservationResponse } from '@/server/api/responses';
import { reservationRequest } from '@/server/api/schemas';
import { reserve } from '@/server/inventory/commands/reserve';
import { createReserveCoalescer, type ReserveCoalescer } from '@/server/inventory/commands/reserve-coalesced';

export const dynamic = 'force-dynamic';

// Concurrent holds on one SKU join one transaction, so a flash sale locks the hot row once per batch instead of once
// per hold (each request keeps its own hold, ledger row, idempotency record and answer). ONHAND_COALESCE_HOLDS=0
// turns it off: every hold is then its own transaction.
let coalescer: ReserveCoalescer | undefined;
const coalescerFor = (db: Db) => (process.env.ONHAND_COALESCE_HOLDS === '0' ? undefined : (coalescer ??= createReserveCoalescer(db)));

export const POST = apiRoute({
  scope: 'reservations:write',
  body: reservationRequest,
  handler: async ({ body, db, opts }) => {
    const c = coalescerFor(db);
    return respond(reservationResponse, await (c ? c.reserve(body, opts) : reserve(db, body, opts)), 201);
  },
});
