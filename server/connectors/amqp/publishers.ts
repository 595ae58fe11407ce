// Who may send which inbound command. A publisher is named by the message's `user_id` property, which RabbitMQ
// refuses unless it equals the user the publishing connection authenticated as, so it cannot be made up.
// AMQP_PUBLISHERS lists them: `user:command,command;user2:*` with the route names of messages.ts
// (`order.placed`, `order.cancelled`, `goods.received`, `stock.adjusted`, `stock.counted`, `stock.transferred`)
// or `*` for all. Unset or empty: no publisher is allowed, and every inbound message is dead-lettered.
import { routeNames, type RouteName } from './messages';

export type Publishers = ReadonlyMap<string, ReadonlySet<RouteName>>;

// Throws on a malformed list or an unknown command, so a typo stops the connector at start, not a shop's orders.
export function parsePublishers(value: string | undefined): Publishers {
  const out = new Map<string, Set<RouteName>>();
  for (const entry of (value ?? '').split(';').map((s) => s.trim()).filter(Boolean)) {
    const colon = entry.lastIndexOf(':');
    const user = entry.slice(0, colon).trim();
    const commands = entry.slice(colon + 1).split(',').map((s) => s.trim()).filter(Boolean);
    if (colon <= 0 || !user || !commands.length) throw new Error(`AMQP_PUBLISHERS: "${entry}" is not user:command,command.`);
    const set = out.get(user) ?? new Set<RouteName>();
    for (const c of commands) {
      if (c === '*') routeNames.forEach((r) => set.add(r));
      else if ((routeNames as string[]).includes(c)) set.add(c as RouteName);
      else throw new Error(`AMQP_PUBLISHERS: "${c}" is not a command (${routeNames.join(', ')} or *).`);
    }
    out.set(user, set);
  }
  return out;
}

// Replies go only to queues made for them: `<prefix>.replies.<anything>` or a name AMQP_REPLY_QUEUES lists, so a
// message cannot make the connector write into another system's queue.
export function replyQueuePolicy(prefix: string, listed: string | undefined): (queue: string) => boolean {
  const names = new Set((listed ?? '').split(',').map((s) => s.trim()).filter(Boolean));
  const under = `${prefix}.replies.`;
  return (queue) => names.has(queue) || (queue.startsWith(under) && queue.length > under.length);
}
