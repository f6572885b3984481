import type { AxiosInstance } from 'axios';

/**
 * Counts the calls of one axios instance that are in flight, from the moment a call is issued
 * until its last response handler has run, so that an account is never closed under a call.
 *
 * A call counts from inside `request()` itself: axios asks every request interceptor's
 * `runWhen` synchronously as the call is issued, before any interceptor runs (those run a few
 * microtasks later, by which time a close in the same tick would have seen no call). The
 * bearer is attached in the adapter, so the count covers the wait for a token and the resend
 * after a 401. Every call issued reaches the response stage exactly once, so the count never
 * drifts.
 */
export class InFlightCounter {
  private active = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(
    instance: AxiosInstance,
    private readonly onIdle: () => void,
  ) {
    // Counted in `runWhen`, and run: an interceptor that runs (not marked synchronous) puts the
    // call on axios' promise path, where a throw before sending (an aborted signal, a body that
    // cannot be serialized) still reaches the response handlers. On the synchronous path axios
    // 1.8 returns such a throw as a rejection that skips them, and the count would never drop.
    instance.interceptors.request.use((config) => config, undefined, {
      runWhen: () => {
        this.active += 1;
        return true;
      },
    });
    instance.interceptors.response.use(
      (response) => {
        this.done();
        return response;
      },
      (error: unknown) => {
        this.done();
        throw error;
      },
    );
  }

  /** Calls in flight now. */
  get count(): number {
    return this.active;
  }

  /** Resolves once no call is in flight (at once when none is). */
  whenIdle(): Promise<void> {
    if (this.active === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private done(): void {
    this.active -= 1;
    if (this.active > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
    this.onIdle();
  }
}
