// Who asked for a change. Recorded on every ledger row and used to scope idempotency keys.
import '#server-only';
export type Actor =
  | { kind: 'user'; id: string; label: string }
  | { kind: 'api_key'; id: string; label: string }
  | { kind: 'system'; id: string; label: string };

export const systemActor = (label: string): Actor => ({ kind: 'system', id: label, label });

export const actorRef = (actor: Actor) => `${actor.kind}:${actor.label}`;

// A ledger actor ('user:<e-mail>', 'api_key:<name>') as API keys and the broker's consumers see it: which kind of
// caller it was, not who. Connectors and the sweeper keep their names.
export const withoutPerson = (actor: string) => actor.replace(/^(user|api_key):.*$/s, '$1');
