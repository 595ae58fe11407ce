// Runs tasks that share a key one after another, in the order they arrived, and tasks with different keys at
// the same time: two adjustments of one bin apply in delivery order while a prefetch window of others runs in parallel.
export type KeyedSerializer = {
  run: <T>(key: string | undefined, task: () => Promise<T>) => Promise<T>;
  readonly pendingKeys: number;
};

export function createKeyedSerializer(): KeyedSerializer {
  const tails = new Map<string, Promise<unknown>>();
  return {
    run<T>(key: string | undefined, task: () => Promise<T>): Promise<T> {
      if (key === undefined) return task();
      const prev = tails.get(key) ?? Promise.resolve();
      const next = prev.then(task, task);
      const tail = next.catch(() => {});
      tails.set(key, tail);
      // The last task of a key removes it, so the map holds only keys with work in flight.
      void tail.then(() => tails.get(key) === tail && tails.delete(key));
      return next;
    },
    get pendingKeys() {
      return tails.size;
    },
  };
}
