// The request a piece of server code is running for: its id, for log lines and for the command it runs. A
// request's first command takes the request id as its commandId (the ledger's command_id), so a log line, the
// X-Request-Id answer header and the ledger rows a request wrote all carry one id; a second command in the same
// request gets an id of its own.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

type RequestContext = { requestId: string; claimed: boolean };
const store = new AsyncLocalStorage<RequestContext>();

export function withRequest<T>(fn: (requestId: string) => Promise<T>): Promise<T> {
  const ctx = { requestId: randomUUID(), claimed: false };
  return store.run(ctx, () => fn(ctx.requestId));
}

export const currentRequestId = (): string | undefined => store.getStore()?.requestId;

export function claimRequestId(): string | undefined {
  const ctx = store.getStore();
  if (!ctx || ctx.claimed) return undefined;
  ctx.claimed = true;
  return ctx.requestId;
}
