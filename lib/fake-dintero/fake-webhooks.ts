import { randomUUID } from 'node:crypto';
import { type Clock, systemClock } from '../token/clock.js';
import { authorizationReport } from './fake-authorization-report.js';
import type { FakeCheckoutChange } from './fake-checkout.js';
import { isLoopbackUrl } from './fake-checkout.validation.js';
import { FakeOutbox } from './fake-outbox.js';
import { signWebhookBody } from './fake-signature.js';

/** A webhook subscription in Dintero's shape, as the Hooks API answers it (the secret never shows). */
export interface FakeWebhookSubscription {
  /** A UUID. */
  readonly id: string;
  /** Where deliveries go, and how. */
  readonly config: {
    readonly url: string;
    readonly content_type: string;
    /** Present when the subscription has a secret; the secret itself is never shown. */
    readonly secret?: { readonly type: 'HMAC-SHA1' };
    readonly insecure_ssl: number;
  };
  /** The event types delivered to it (a `ping` goes to every subscription). */
  readonly events: readonly string[];
  readonly created_at: string;
  /** The client that created it (the token's `sub`). */
  readonly created_by: string;
  readonly updated_at: string;
  readonly active: boolean;
}

/** A `POST /accounts/{aid}/hooks/subscriptions` body (already checked). */
export interface FakeSubscriptionRequest {
  /** Where deliveries go (`url`), and how. */
  readonly config: {
    readonly url: string;
    readonly content_type?: string;
    /** Signs each delivery: `event-signature`, HMAC-SHA1 of the body. */
    readonly secret?: string;
    readonly insecure_ssl?: number;
  };
  /** The event types to deliver, e.g. `checkout_transaction`, `checkout_authorization`. */
  readonly events: readonly string[];
}

/** One delivery attempt of a webhook, as tests see it. */
export interface FakeWebhookAttempt {
  /** The subscription delivered to. */
  readonly subscriptionId: string;
  /** Its `config.url`. */
  readonly url: string;
  /** The `event` header: `ping`, `checkout_transaction`, `checkout_authorization`. */
  readonly event: string;
  /** The `event-delivery` header: one GUID per delivery, the same on each of its retries. */
  readonly deliveryId: string;
  /** 1 for the first attempt, 2 for the first retry... */
  readonly attempt: number;
  /** The headers sent, `event-signature` among them when the subscription has a secret. */
  readonly headers: Readonly<Record<string, string>>;
  /** The exact body sent. */
  readonly body: string;
  /** The receiver's answer, when there was one (only 2xx acknowledges). */
  readonly status?: number;
  /** `timeout` or the connection error code, when there was no answer. */
  readonly error?: string;
  /** Why the fake did not call at all (it calls loopback hosts only). */
  readonly skipped?: string;
}

/** Options of the webhook delivery. */
export interface FakeWebhookOptions {
  /** Drives the retry delays, the 120 s answer timeout and the subscriptions' dates. Default: real time. */
  readonly clock?: Clock;
  /** Wait this long before every retry. Default: 1 s, doubling (Dintero publishes no schedule). */
  readonly retryDelayMs?: number;
}

interface Subscription {
  readonly accountId: string;
  readonly target: URL;
  readonly secret: string | undefined;
  readonly view: FakeWebhookSubscription;
}

interface Delivery {
  readonly subscriptionId: string;
  readonly url: URL;
  readonly event: string;
  readonly deliveryId: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly attempt: number;
  readonly generation: number;
}

/** "We retry the connection to a total of 5 times": five attempts in all, then the subscription goes. */
const MAX_ATTEMPTS = 5;
const ANSWER_TIMEOUT_MS = 120_000;
const backoffMs = (failedAttempt: number) => 1000 * 2 ** (failedAttempt - 1);
const acknowledged = (status: number) => status >= 200 && status <= 299;

/**
 * Webhook subscriptions and their deliveries, as Dintero's Hooks API keeps them: a `ping` on
 * creation; `checkout_transaction` when a transaction is created or changes (authorization,
 * capture, refund, void) and `checkout_authorization` when a payment is authorized, fails or is
 * cancelled, to each subscription of the account that names the event. Each delivery is a POST
 * with `event`, `event-delivery` and, with a secret, `event-signature` (HMAC-SHA1 of the body);
 * only a 2xx acknowledges it (a redirect is a failure). It is tried 5 times in all, and a
 * subscription whose delivery fails all 5 is deleted. The fake calls loopback hosts only.
 */
export class FakeWebhooks {
  /** Every attempt so far, oldest first. */
  readonly attempts: FakeWebhookAttempt[] = [];

  private readonly clock: Clock;
  private readonly outbox: FakeOutbox;
  private readonly retryDelayMs: (failedAttempt: number) => number;
  private readonly store = new Map<string, Subscription>();

  constructor(options: FakeWebhookOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.outbox = new FakeOutbox(this.clock);
    const fixed = options.retryDelayMs;
    this.retryDelayMs = fixed === undefined ? backoffMs : () => fixed;
  }

  /** Every subscription of every account, oldest first. */
  get subscriptions(): FakeWebhookSubscription[] {
    return [...this.store.values()].map((subscription) => subscription.view);
  }

  /** The subscriptions of one account, oldest first. */
  subscriptionsOf(accountId: string): FakeWebhookSubscription[] {
    return [...this.store.values()].filter((subscription) => subscription.accountId === accountId).map((subscription) => subscription.view);
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

  /** Creates a subscription for `accountId` (what the Hooks API does) and sends it a `ping`. */
  subscribe(accountId: string, request: FakeSubscriptionRequest, createdBy = 'fake-dintero'): FakeWebhookSubscription {
    const now = new Date(this.clock.wallNow()).toISOString();
    const { url, content_type = 'application/json', secret, insecure_ssl = 0 } = request.config;
    const view: FakeWebhookSubscription = {
      id: randomUUID(),
      config: { url, content_type, ...(secret !== undefined ? { secret: { type: 'HMAC-SHA1' as const } } : {}), insecure_ssl },
      events: [...request.events],
      created_at: now,
      created_by: createdBy,
      updated_at: now,
      active: true,
    };
    // Parsed here, so that a bad URL fails the call that gave it rather than a later delivery.
    const subscription: Subscription = { accountId, target: new URL(url), secret, view };
    this.store.set(view.id, subscription);
    this.ping(view.id);
    return view;
  }

  /** Sends a subscription a `ping` (its body is the subscription); false if there is no such subscription. */
  ping(subscriptionId: string): boolean {
    const subscription = this.store.get(subscriptionId);
    if (!subscription) return false;
    this.deliver(subscription, 'ping', randomUUID(), JSON.stringify(subscription.view));
    return true;
  }

  /** Deletes a subscription: its pending retries are dropped. False if there was none. */
  unsubscribe(subscriptionId: string): boolean {
    return this.store.delete(subscriptionId);
  }

  /** Schedules the deliveries that a change in the checkout calls for. */
  notify(change: FakeCheckoutChange): void {
    const accountId = change.session.id.split('.')[0]!;
    const transaction = 'transaction' in change ? change.transaction : undefined;
    const events: [string, Record<string, unknown>][] = [];
    if (transaction) events.push(['checkout_transaction', { transaction }]);
    const report = authorizationReport(change);
    if (report) {
      const authorization = {
        merchant_reference: transaction ? transaction.merchant_reference : String(change.session.order.merchant_reference),
        session_id: change.session.id,
        ...(transaction ? { transaction_id: transaction.id } : {}),
        ...report,
      };
      events.push(['checkout_authorization', { authorization, ...(transaction ? { transaction } : {}) }]);
    }
    for (const subscription of this.store.values()) {
      if (subscription.accountId !== accountId) continue;
      for (const [event, fields] of events) {
        if (!subscription.view.events.includes(event)) continue;
        const deliveryId = randomUUID();
        // Serialized now: the body (and its signature) is what the transaction was at this change.
        const body = JSON.stringify({ account_id: accountId, event, event_delivery: deliveryId, ...fields });
        this.deliver(subscription, event, deliveryId, body);
      }
    }
  }

  /** Cancels every scheduled delivery and aborts those in flight (when the fake stops). */
  close(): void {
    this.outbox.close();
  }

  private deliver(subscription: Subscription, event: string, deliveryId: string, body: string): void {
    const headers = {
      'Content-Type': subscription.view.config.content_type,
      'User-Agent': 'Dintero-Hook/fake',
      event,
      'event-delivery': deliveryId,
      ...(subscription.secret !== undefined ? { 'event-signature': signWebhookBody(subscription.secret, body) } : {}),
    };
    const delivery = { subscriptionId: subscription.view.id, url: subscription.target, event, deliveryId, headers, body, attempt: 1 };
    this.schedule({ ...delivery, generation: this.outbox.generation }, 0);
  }

  private schedule(delivery: Delivery, delayMs: number): void {
    this.outbox.schedule(() => this.attempt(delivery), delayMs);
  }

  private async attempt(delivery: Delivery): Promise<void> {
    // A subscription deleted meanwhile (by the API, or for failing) gets nothing more.
    if (!this.store.has(delivery.subscriptionId)) return this.outbox.wake();
    const { subscriptionId, event, deliveryId, attempt, headers, body } = delivery;
    const base = { subscriptionId, url: delivery.url.href, event, deliveryId, attempt, headers, body };
    if (!isLoopbackUrl(delivery.url)) {
      this.attempts.push({ ...base, skipped: 'the fake calls loopback hosts only' });
      return this.outbox.wake();
    }
    const outcome = await this.outbox.send(delivery.url, { method: 'POST', headers, body, timeoutMs: ANSWER_TIMEOUT_MS });
    this.attempts.push({ ...base, ...outcome });
    const failed = 'error' in outcome || !acknowledged(outcome.status);
    if (failed && delivery.generation === this.outbox.generation) {
      if (attempt < MAX_ATTEMPTS) this.schedule({ ...delivery, attempt: attempt + 1 }, this.retryDelayMs(attempt));
      else this.store.delete(subscriptionId);
    }
    this.outbox.wake();
  }
}
