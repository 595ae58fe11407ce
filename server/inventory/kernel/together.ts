// Statements of one transaction that do not depend on one another, sent together: the driver writes them to the
// connection in one go and PostgreSQL runs them in the order given, so they cost one round trip instead of one each.
// Every one is awaited before anything is thrown: a statement still in flight must not outlive its transaction (it
// would run on the connection after the rollback). The first failure in argument order is the one thrown, so a
// command refuses for the same reason as when it sent them one by one.
import '#server-only';

export async function together<T extends readonly unknown[]>(...work: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(work);
  const failures = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected').map((s) => s.reason as unknown);
  // "The transaction is aborted" is never the reason: a statement the driver had to prepare first can run after one
  // sent behind it, so the refusal that aborted the transaction may come later in argument order.
  if (failures.length) throw failures.find((e) => !abortedBefore(e)) ?? failures[0];
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

// For a statement sent together with others whose refusal must come later (after checks the command makes first on
// the others' answers): its answer, or its refusal, when asked for.
export function deferred<T>(work: PromiseLike<T>): Promise<() => T> {
  return Promise.resolve(work).then(
    (value) => () => value,
    (e: unknown) => () => {
      throw e;
    },
  );
}

function abortedBefore(e: unknown): boolean {
  for (let cur = e as { code?: unknown; cause?: unknown } | undefined, i = 0; cur && i < 5; cur = cur.cause as typeof cur, i++) {
    if (cur.code === '25P02') return true;
  }
  return false;
}
