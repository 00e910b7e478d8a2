/**
 * Runs tasks one after another per key, in the order they were given, and tasks of different keys
 * side by side. The chain of a key is forgotten once it is idle, so keys do not accumulate.
 */
export function serialPerKey(): (key: string, task: () => Promise<void>) => Promise<void> {
  const chains = new Map<string, Promise<void>>();
  return (key, task) => {
    const next = (chains.get(key) ?? Promise.resolve()).then(task, task);
    const settled = next.catch(() => {});
    chains.set(key, settled);
    void settled.then(() => {
      if (chains.get(key) === settled) chains.delete(key);
    });
    return next;
  };
}

/**
 * Items of a key waiting their turn in `inOrder` are handled as one batch: the first queues a task
 * and later ones join it until it starts. `close(key)` ends the batch when another task of the key
 * is queued after it, so every item is still handled in the order given relative to other tasks.
 */
export function batchPerKey<T>(
  inOrder: ReturnType<typeof serialPerKey>,
  handle: (key: string, items: T[]) => Promise<void>,
): { add(key: string, item: T): Promise<void> | undefined; close(key: string): void } {
  const waiting = new Map<string, T[]>();
  return {
    add(key, item) {
      const batch = waiting.get(key);
      if (batch) {
        batch.push(item);
        return undefined;
      }
      const items = [item];
      waiting.set(key, items);
      return inOrder(key, () => {
        if (waiting.get(key) === items) waiting.delete(key);
        return handle(key, items);
      });
    },
    close(key) {
      waiting.delete(key);
    },
  };
}
