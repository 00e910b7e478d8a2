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
