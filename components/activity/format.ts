// How the Activity tables write a time and a person: UTC, so a shared page reads the same everywhere.
export const when = (iso: string) => `${new Date(iso).toLocaleString('en-GB', { timeZone: 'UTC', dateStyle: 'short', timeStyle: 'medium' })} UTC`;

// "user:manager@onhand.test" → "manager@onhand.test"; API keys and the system keep their kind.
export const actorName = (actor: string) => actor.replace(/^user:/, '');

export const signed = (n: number) => (n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '0');
