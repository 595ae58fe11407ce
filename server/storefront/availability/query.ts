// What a storefront asks for, on either address: the sidecar's (answered from memory) or the app's (which
// forwards there, or reads the database while the sidecar cannot). Both parse it here; the OpenAPI document
// shows the same schema.
import { z } from 'zod';
import { parseQuery } from '@/server/adapters/middle';
import { skuList } from '@/server/inventory/kernel/schemas';

export const AVAILABILITY_PATH = '/api/v1/availability';

export const availabilityQuery = z.object({
  sku: skuList,
  channel: z.string().trim().min(1).max(64).optional().meta({ description: 'Sales channel; reserved for per-channel availability.' }),
});

export type AvailabilityQuery = z.output<typeof availabilityQuery>;

export function parseAvailabilityQuery(url: URL): AvailabilityQuery {
  return parseQuery(availabilityQuery, url);
}

// The channel a request names, read before the query is parsed: its CORS grant goes on every answer, errors
// included, so a storefront page can read why it was refused. None named: the default channel.
export function channelNameOf(url: URL): string | undefined {
  return url.searchParams.get('channel')?.trim() || undefined;
}
