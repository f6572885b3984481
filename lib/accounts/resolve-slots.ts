/**
 * At most `limit` resolver calls at once; the others wait their turn, first come first served.
 * A slot is held until its call's answer (or its time-out): the resolver is a database or a
 * secret manager, and a burst of unknown ids must not become a burst of queries.
 */
export class ResolveSlots {
  private running = 0;
  /** In arrival order: a Set keeps insertion order, and gives up a turn in O(1). */
  private readonly waiting = new Set<() => void>();

  constructor(private readonly limit: number) {}

  /**
   * Runs `start` now if a slot is free, else once one is; returns the function that ends the
   * turn: it frees the slot, or leaves the line if `start` has not run yet. Calling it again does nothing.
   */
  take(start: () => void): () => void {
    let state: 'waiting' | 'running' | 'ended' = 'waiting';
    const run = () => {
      state = 'running';
      this.running += 1;
      start();
    };
    if (this.running < this.limit) run();
    else this.waiting.add(run);
    return () => {
      if (state === 'waiting') this.waiting.delete(run);
      else if (state === 'running') this.free();
      state = 'ended';
    };
  }

  private free(): void {
    this.running -= 1;
    const next = this.waiting.values().next();
    if (next.done) return;
    this.waiting.delete(next.value);
    next.value();
  }
}
