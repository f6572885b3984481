import { type Clock, systemClock, type TimerHandle } from '../token/clock.js';
import type { FakeCheckoutChange } from './fake-checkout.js';
import { isLoopbackUrl } from './fake-checkout.validation.js';

/** One delivery attempt of a callback, as tests see it. */
export interface FakeCallbackAttempt {
  /** The URL called: the merchant's `callback_url` plus Dintero's query parameters. */
  readonly url: string;
  readonly method: 'GET' | 'POST';
  /** 1 for the first attempt, 2 for the first retry... */
  readonly attempt: number;
  /** The merchant's answer, when there was one. */
  readonly status?: number;
  /** `timeout` or the connection error code, when there was no answer. */
  readonly error?: string;
  /** Why the fake did not call at all (it calls loopback hosts only). */
  readonly skipped?: string;
}

/** Options of the callback delivery. */
export interface FakeCallbackOptions {
  /** Drives `delay_callback`, the retry backoff and the 10 s answer timeout. Default: real time. */
  readonly clock?: Clock;
}

interface Delivery {
  readonly url: URL;
  readonly method: 'GET' | 'POST';
  readonly body: string | undefined;
  readonly attempt: number;
  readonly generation: number;
}

const MAX_RETRIES = 20;
const MAX_DELAY_CALLBACK_SECONDS = 60;
const ANSWER_TIMEOUT_MS = 10_000;
/** Dintero publishes no backoff schedule: doubling from 1 s, capped at 5 minutes (inferred). */
const retryDelayMs = (failedAttempt: number) => Math.min(1000 * 2 ** (failedAttempt - 1), 300_000);
/** A failure is a status 100-101 or 500-599, a timeout, or a connection error; 4xx is permanent. */
const shouldRetry = (status: number) => status <= 101 || status >= 500;

/**
 * Delivers `callback_url` calls as Dintero does: a GET after authorization (POST with the
 * transaction for `method=POST`), errors with `report_error=true`, operations listed in
 * `report_event`, after `delay_callback` seconds, retried with backoff on 5xx, timeouts and
 * connection errors, up to 20 times; a 4xx ends it.
 */
export class FakeCallbacks {
  /** Every attempt so far, oldest first. */
  readonly attempts: FakeCallbackAttempt[] = [];

  private readonly clock: Clock;
  private readonly timers = new Set<TimerHandle>();
  private readonly inFlight = new Set<AbortController>();
  private waiters: (() => void)[] = [];
  /** Bumped by close(): attempts of an older generation are not retried. */
  private generation = 0;

  constructor(options: FakeCallbackOptions = {}) {
    this.clock = options.clock ?? systemClock;
  }

  /** Deliveries scheduled or in flight. */
  get pending(): number {
    return this.timers.size + this.inFlight.size;
  }

  /** Resolves once no delivery is scheduled or in flight (with a manual clock, advance it first). */
  settled(): Promise<void> {
    return this.when(() => this.pending === 0);
  }

  /** Resolves once no delivery is in flight; scheduled retries may remain. */
  idle(): Promise<void> {
    return this.when(() => this.inFlight.size === 0);
  }

  /** Schedules the callbacks that a change in the checkout calls for. */
  notify(change: FakeCheckoutChange): void {
    const configured = change.session.url.callback_url;
    if (typeof configured !== 'string') return;
    const url = new URL(configured);
    const params = callbackParams(change, url.searchParams);
    if (!params) return;
    const sid = url.searchParams.get('sid_parameter_name') === 'sid' ? 'sid' : 'session_id';
    for (const [name, value] of Object.entries({
      ...params,
      [sid]: change.session.id,
      time: new Date(this.clock.wallNow()).toISOString(),
    })) {
      url.searchParams.append(name, value);
    }
    const method = url.searchParams.get('method')?.toUpperCase() === 'POST' ? 'POST' : 'GET';
    const transaction = 'transaction' in change ? change.transaction : undefined;
    const withSession = url.searchParams.getAll('includes').includes('session');
    const body =
      method === 'POST' && transaction
        ? JSON.stringify(withSession ? { ...transaction, session: change.session } : transaction)
        : undefined;
    const delaySeconds = Math.min(Math.max(Number(url.searchParams.get('delay_callback')) || 0, 0), MAX_DELAY_CALLBACK_SECONDS);
    this.schedule({ url, method, body, attempt: 1, generation: this.generation }, delaySeconds * 1000);
  }

  /** Cancels every scheduled delivery and aborts those in flight (when the fake stops). */
  close(): void {
    this.generation += 1;
    for (const timer of this.timers) this.clock.clearTimer(timer);
    this.timers.clear();
    for (const controller of this.inFlight) controller.abort();
    this.wake();
  }

  private schedule(delivery: Delivery, delayMs: number): void {
    const timer = this.clock.setTimer(() => {
      this.timers.delete(timer);
      void this.attempt(delivery);
    }, delayMs);
    this.timers.add(timer);
  }

  private async attempt(delivery: Delivery): Promise<void> {
    const base = { url: delivery.url.href, method: delivery.method, attempt: delivery.attempt };
    if (!isLoopbackUrl(delivery.url)) {
      this.attempts.push({ ...base, skipped: 'the fake calls loopback hosts only' });
      return this.wake();
    }
    const controller = new AbortController();
    this.inFlight.add(controller);
    const timeout = this.clock.setTimer(() => controller.abort(new Error('timeout')), ANSWER_TIMEOUT_MS);
    let outcome: { status: number } | { error: string };
    try {
      const answer = await fetch(delivery.url, {
        method: delivery.method,
        redirect: 'manual',
        signal: controller.signal,
        ...(delivery.body !== undefined ? { body: delivery.body, headers: { 'Content-Type': 'application/json' } } : {}),
      });
      await answer.body?.cancel();
      outcome = { status: answer.status };
    } catch (error) {
      outcome = { error: controller.signal.aborted ? 'timeout' : connectionError(error) };
    } finally {
      this.clock.clearTimer(timeout);
      this.inFlight.delete(controller);
    }
    this.attempts.push({ ...base, ...outcome });
    const failed = 'error' in outcome || shouldRetry(outcome.status);
    if (failed && delivery.attempt <= MAX_RETRIES && delivery.generation === this.generation) {
      this.schedule({ ...delivery, attempt: delivery.attempt + 1 }, retryDelayMs(delivery.attempt));
    }
    this.wake();
  }

  private when(done: () => boolean): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => (done() ? resolve() : this.waiters.push(check));
      this.waiters.push(check);
    });
  }

  private wake(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const check of waiting) check();
  }
}

/** Dintero's query parameters for this change, or undefined when it sends no callback for it. */
function callbackParams(change: FakeCheckoutChange, options: URLSearchParams): Record<string, string> | undefined {
  const reportError = options.get('report_error') === 'true';
  if (change.kind === 'cancellation') {
    return reportError ? { merchant_reference: String(change.session.order.merchant_reference), error: 'cancelled' } : undefined;
  }
  const { transaction } = change;
  const base = { transaction_id: transaction.id, merchant_reference: transaction.merchant_reference };
  if (change.kind === 'operation') {
    return options.getAll('report_event').includes(change.event.event)
      ? { ...base, event: change.event.event, event_id: change.event.id }
      : undefined;
  }
  switch (transaction.status) {
    case 'AUTHORIZED':
    case 'ON_HOLD':
      return base;
    case 'DECLINED':
      return reportError ? { ...base, error: 'authorization' } : undefined;
    case 'FAILED':
      return reportError ? { ...base, error: 'failed' } : undefined;
    default:
      return undefined;
  }
}

function connectionError(error: unknown): string {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code ?? (error instanceof Error ? error.message : String(error));
}
