import { apiRoute, respond } from '@/server/api/api-route';
import { movementResponse, movementsPageResponse } from '@/server/api/responses';
import { movementRequest, movementsQuery, type MovementRequest } from '@/server/api/schemas';
import type { Db } from '@/db/client';
import { adjust } from '@/server/inventory/commands/adjust';
import type { CommandOptions } from '@/server/inventory/kernel/command';
import { count } from '@/server/inventory/commands/count';
import { movementsPage } from '@/server/inventory/read/movements';
import { receive } from '@/server/inventory/commands/receive';
import { transfer } from '@/server/inventory/commands/transfer';

export const dynamic = 'force-dynamic';

export const GET = apiRoute({
  scope: 'stock:read',
  query: movementsQuery,
  handler: async ({ query, db, key }) => respond(movementsPageResponse, await movementsPage(db, query, { kind: 'api_key', keyId: key.id })),
});

export const POST = apiRoute({
  scope: 'stock:write',
  body: movementRequest,
  handler: async ({ body, db, opts }) => respond(movementResponse, await apply(db, body, opts), 201),
});

// Each kind is one core command; the answer is its result, tagged with the kind.
async function apply(db: Db, body: MovementRequest, opts: CommandOptions) {
  switch (body.kind) {
    case 'receipt': {
      const { kind, ...input } = body;
      return { kind, ...(await receive(db, input, opts)) };
    }
    case 'adjustment': {
      const { kind, ...input } = body;
      return { kind, ...(await adjust(db, input, opts)) };
    }
    case 'transfer': {
      const { kind, ...input } = body;
      return { kind, ...(await transfer(db, input, opts)) };
    }
    case 'count': {
      const { kind, ...input } = body;
      return { kind, ...(await count(db, input, opts)) };
    }
  }
}
