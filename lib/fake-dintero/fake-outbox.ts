import type { Clock, TimerHandle } from '../token/clock.js';

/** How one outgoing call ended: the receiver's status, or `timeout` / the connection error code. */
export type FakeSendOutcome = { readonly status: number } | { readonly error: string };

/** One outgoing request of the fake (a callback or a webhook delivery). */
export interface FakeOutgoingRequest {
  readonly method: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** No answer within this time is a `timeout`. */
  readonly timeoutMs: number;
}

/**
 * The fake's outgoing calls (callbacks and webhook deliveries): their timers and the requests in
 * flight, so that a test can wait for them to settle and `stop()` can cancel them.
 */
export class FakeOutbox {
  private readonly timers = new Set<TimerHandle>();
  private readonly inFlight = new Set<AbortController>();
  private waiters: (() => void)[] = [];
  private closedTimes = 0;

  constructor(private readonly clock: Clock) {}

  /** Calls scheduled or in flight. */
  get pending(): number {
    return this.timers.size + this.inFlight.size;
  }

  /** Bumped by close(): a call made before it must not schedule a retry after it. */
  get generation(): number {
    return this.closedTimes;
  }

  /** Resolves once nothing is scheduled or in flight (with a manual clock, advance it first). */
  settled(): Promise<void> {
    return this.when(() => this.pending === 0);
  }

  /** Resolves once nothing is in flight; scheduled retries may remain. */
  idle(): Promise<void> {
    return this.when(() => this.inFlight.size === 0);
  }

  /** Runs `task` after `delayMs` on the fake's clock. */
  schedule(task: () => Promise<void>, delayMs: number): void {
    const timer = this.clock.setTimer(() => {
      this.timers.delete(timer);
      void task();
    }, delayMs);
    this.timers.add(timer);
  }

  /** Sends one request; redirects are not followed (a 3xx is an answer like any other). */
  async send(url: URL, request: FakeOutgoingRequest): Promise<FakeSendOutcome> {
    const controller = new AbortController();
    this.inFlight.add(controller);
    const timeout = this.clock.setTimer(() => controller.abort(new Error('timeout')), request.timeoutMs);
    try {
      const answer = await fetch(url, {
        method: request.method,
        redirect: 'manual',
        signal: controller.signal,
        ...(request.headers ? { headers: request.headers } : {}),
        ...(request.body !== undefined ? { body: request.body } : {}),
      });
      await answer.body?.cancel();
      return { status: answer.status };
    } catch (error) {
      return { error: controller.signal.aborted ? 'timeout' : connectionError(error) };
    } finally {
      this.clock.clearTimer(timeout);
      this.inFlight.delete(controller);
    }
  }

  /** Cancels every scheduled call and aborts those in flight (when the fake stops). */
  close(): void {
    this.closedTimes += 1;
    for (const timer of this.timers) this.clock.clearTimer(timer);
    this.timers.clear();
    for (const controller of this.inFlight) controller.abort();
    this.wake();
  }

  /** Lets waiters look again: call it after each attempt is recorded. */
  wake(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const check of waiting) check();
  }

  private when(done: () => boolean): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => (done() ? resolve() : this.waiters.push(check));
      this.waiters.push(check);
    });
  }
}

function connectionError(error: unknown): string {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code ?? (error instanceof Error ? error.message : String(error));
}
