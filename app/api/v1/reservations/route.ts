import { apiRoute, respond } from '@/server/api/api-route';
import { reservationResponse } from '@/server/api/responses';
import { reservationRequest } from '@/server/api/schemas';
import { reserve } from '@/server/inventory/reserve';

export const dynamic = 'force-dynamic';

export const POST = apiRoute({
  scope: 'reservations:write',
  body: reservationRequest,
  handler: async ({ body, db, opts }) => respond(reservationResponse, await reserve(db, body, opts), 201),
});
