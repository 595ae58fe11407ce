// Who asked for a change. Recorded on every ledger row and used to scope idempotency keys.
import '#server-only';
export type Actor =
  | { kind: 'user'; id: string; label: string }
  | { kind: 'api_key'; id: string; label: string }
  | { kind: 'system'; id: string; label: string };

export const systemActor = (label: string): Actor => ({ kind: 'system', id: label, label });

export const actorRef = (actor: Actor) => `${actor.kind}:${actor.label}`;
