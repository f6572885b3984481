import { type Clock, systemClock } from '../token/clock.js';
import { authorizationReport } from './fake-authorization-report.js';
import type { FakeCheckoutChange } from './fake-checkout.js';
import { isLoopbackUrl } from './fake-checkout.validation.js';
import { FakeOutbox } from './fake-outbox.js';
import { signCallback } from './fake-signature.js';

/** One delivery attempt of a callback, as tests see it. */
export interface FakeCallbackAttempt {
  /** The URL called: the merchant's `callback_url` plus Dintero's query parameters. */
  readonly url: string;
  readonly method: 'GET' | 'POST';
  /** 1 for the first attempt, 2 for the first retry... */
  readonly attempt: number;
  /** The `Dintero-Signature` header sent, when a signature secret is set. */
  readonly signature?: string;
  /** The merchant's answer, when there was one. */
  readonly status?: number;
  /** `timeout` or the connection error code, when there was no answer. */
  readonly error?: string;
  /** Why the fake did not call at all (it calls loopback hosts only). */
  readonly skipped?: string;
}

/** Options of the callback delivery. */
export interface FakeCallbackOptions {
  /** Drives `delay_callback`, the retry backoff, the 10 s answer timeout and the signature's `t`. Default: real time. */
  readonly clock?: Clock;
  /** Sign every callback with `Dintero-Signature`, as Dintero does once the account has a signature secret. */
  readonly signatureSecret?: string;
}

interface Delivery {
  readonly url: URL;
  readonly method: 'GET' | 'POST';
  readonly body: string | undefined;
  /** The account whose session it is: part of the signed text. */
  readonly accountId: string;
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
 * connection errors, up to 20 times; a 4xx ends it. With a signature secret, each attempt
 * carries `Dintero-Signature`, timed by the fake's clock.
 */
export class FakeCallbacks {
  /** Every attempt so far, oldest first. */
  readonly attempts: FakeCallbackAttempt[] = [];
  /**
   * The account's signature secret: set, every callback from the next attempt on is signed with
   * it (change it to rotate); undefined, callbacks go unsigned.
   */
  signatureSecret: string | undefined;

  private readonly clock: Clock;
  private readonly outbox: FakeOutbox;

  constructor(options: FakeCallbackOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.outbox = new FakeOutbox(this.clock);
    this.signatureSecret = options.signatureSecret;
  }

  /** Deliveries scheduled or in flight. */
  get pending(): number {
    return this.outbox.pending;
  }

  /** Resolves once no delivery is scheduled or in flight (with a manual clock, advance it first). */
  settled(): Promise<void> {
    return this.outbox.settled();
  }

  /** Resolves once no delivery is in flight; scheduled retries may remain. */
  idle(): Promise<void> {
    return this.outbox.idle();
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
    const accountId = change.session.id.split('.')[0]!;
    this.schedule({ url, method, body, accountId, attempt: 1, generation: this.outbox.generation }, delaySeconds * 1000);
  }

  /** Cancels every scheduled delivery and aborts those in flight (when the fake stops). */
  close(): void {
    this.outbox.close();
  }

  private schedule(delivery: Delivery, delayMs: number): void {
    this.outbox.schedule(() => this.attempt(delivery), delayMs);
  }

  private async attempt(delivery: Delivery): Promise<void> {
    const base = { url: delivery.url.href, method: delivery.method, attempt: delivery.attempt };
    if (!isLoopbackUrl(delivery.url)) {
      // Dintero takes an http callback_url and calls https only; the fake calls this machine only.
      const skipped = delivery.url.protocol === 'http:' ? 'Dintero calls back https URLs only' : 'the fake calls loopback hosts only';
      this.attempts.push({ ...base, skipped });
      return this.outbox.wake();
    }
    const signature = this.sign(delivery);
    const headers: Record<string, string> = {
      ...(delivery.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...(signature ? { 'Dintero-Signature': signature } : {}),
    };
    const outcome = await this.outbox.send(delivery.url, {
      method: delivery.method,
      headers,
      ...(delivery.body !== undefined ? { body: delivery.body } : {}),
      timeoutMs: ANSWER_TIMEOUT_MS,
    });
    this.attempts.push({ ...base, ...(signature ? { signature } : {}), ...outcome });
    const failed = 'error' in outcome || shouldRetry(outcome.status);
    if (failed && delivery.attempt <= MAX_RETRIES && delivery.generation === this.outbox.generation) {
      this.schedule({ ...delivery, attempt: delivery.attempt + 1 }, retryDelayMs(delivery.attempt));
    }
    this.outbox.wake();
  }

  /** The signature of this attempt: signed when it is sent, so a retry carries a fresh `t`. */
  private sign(delivery: Delivery): string | undefined {
    if (this.signatureSecret === undefined) return undefined;
    return signCallback(this.signatureSecret, {
      timestamp: Math.floor(this.clock.wallNow() / 1000),
      accountId: delivery.accountId,
      method: delivery.method,
      url: delivery.url,
    });
  }
}

/** Dintero's query parameters for this change, or undefined when it sends no callback for it. */
function callbackParams(change: FakeCheckoutChange, options: URLSearchParams): Record<string, string> | undefined {
  if (change.kind === 'operation') {
    const { transaction, event } = change;
    return options.getAll('report_event').includes(event.event)
      ? { transaction_id: transaction.id, merchant_reference: transaction.merchant_reference, event: event.event, event_id: event.id }
      : undefined;
  }
  const report = authorizationReport(change);
  if (!report || (report.error && options.get('report_error') !== 'true')) return undefined;
  return {
    ...(change.kind === 'authorization' ? { transaction_id: change.transaction.id } : {}),
    merchant_reference:
      change.kind === 'authorization' ? change.transaction.merchant_reference : String(change.session.order.merchant_reference),
    ...(report.error ? { error: report.error } : {}),
  };
}
