import type { Db } from '@/db/client';
import { apiRoute, respond } from '@/server/api/api-route';
import { reservationResponse } from '@/server/api/responses';
import { reservationRequest } from '@/server/api/schemas';
import { reserve } from '@/server/inventory/commands/reserve';
import { createReserveCoalescer, type ReserveCoalescer } from '@/server/inventory/commands/reserve-coalesced';

export const dynamic = 'force-dynamic';

// ONHAND_COALESCE_HOLDS=1: concurrent holds on one SKU join one transaction (for flash sales; each request keeps
// its own hold, ledger row, idempotency record and answer). Off by default.
let coalescer: ReserveCoalescer | undefined;
const coalescerFor = (db: Db) => (process.env.ONHAND_COALESCE_HOLDS === '1' ? (coalescer ??= createReserveCoalescer(db)) : undefined);

export const POST = apiRoute({
  scope: 'reservations:write',
  body: reservationRequest,
  handler: async ({ body, db, opts }) => {
    const c = coalescerFor(db);
    return respond(reservationResponse, await (c ? c.reserve(body, opts) : reserve(db, body, opts)), 201);
  },
});
