import type { AxiosInstance } from 'axios';

/**
 * Counts the calls of one axios instance that are in flight, from before the token is attached
 * until the last response handler has run, so that an account is never closed under a call.
 *
 * The bearer is attached in the adapter, between the request and the response interceptors,
 * so the count covers the wait for a token and the resend after a 401. Every call that passes
 * the request stage (fulfilled or rejected) reaches the response stage exactly once, so the
 * count never drifts.
 */
export class InFlightCounter {
  private active = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(
    instance: AxiosInstance,
    private readonly onIdle: () => void,
  ) {
    instance.interceptors.request.use(
      (config) => {
        this.active += 1;
        return config;
      },
      (error: unknown) => {
        this.active += 1;
        throw error;
      },
    );
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
