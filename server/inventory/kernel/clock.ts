// A command's context and its clock, apart from the command runner so that what the runner calls at the end
// of a transaction (alert evaluation) can use them without importing the runner back.
import '#server-only';
import { sql, type SQL } from 'drizzle-orm';
import type { Actor } from './actor';

export type CommandContext = {
  actor: Actor;
  commandId: string;
  now: Date;
  // True when `now` is a system actor's backdate: ledger and alert rows then carry it instead of the database clock.
  backdated: boolean;
  // Levels this command changed, for whatever must follow them in the same transaction (alerts).
  touched: { productId: number; locationId: number; warehouseId?: number }[];
};

// When a command's rows happened: the database clock, or the system actor's backdate.
export const commandTime = (ctx: Pick<CommandContext, 'now' | 'backdated'>): SQL =>
  ctx.backdated ? sql`${ctx.now.toISOString()}::timestamptz` : sql`now()`;
