/**
 * Work that continues after Slack got its acknowledgement (engine, database, Web API calls). Tracked
 * so that stopping the adapter, and tests, can wait until every started handler has finished.
 */
export class InFlight {
  private readonly running = new Set<Promise<void>>();

  /** Runs `work` and keeps track of it until it settles; the returned promise never rejects. */
  track(work: () => Promise<void>, onError: (e: unknown) => void): Promise<void> {
    const task = work()
      .catch(onError)
      .finally(() => this.running.delete(task));
    this.running.add(task);
    return task;
  }

  async settled(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }
}
