// Holds and orders belong to the API key that made them. Another key is told they do not exist (404), so ids
// leaked in logs or guessed cannot be released, cancelled or taken over. Staff and connectors act on everything.
import '#server-only';
import type { Actor } from './actor';

// The owner recorded on a new hold or order: the key's id, or null when staff or a connector made it.
export const ownerKeyOf = (actor: Actor): string | null => (actor.kind === 'api_key' ? actor.id : null);

// Whether this actor may see and change a hold or order with this owner.
export const mayActOn = (actor: Actor, ownerKeyId: string | null): boolean => actor.kind !== 'api_key' || ownerKeyId === actor.id;
