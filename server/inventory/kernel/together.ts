// Statements of one transaction that do not depend on one another, sent together: the driver writes them to the
// connection in one go and PostgreSQL runs them in the order given, so they cost one round trip instead of one each.
// Every one is awaited before anything is thrown: a statement still in flight must not outlive its transaction (it
// would run on the connection after the rollback). The first failure in argument order is the one thrown, so a
// command refuses for the same reason as when it sent them one by one.
import '#server-only';

export async function together<T extends readonly unknown[]>(...work: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(work);
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
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
