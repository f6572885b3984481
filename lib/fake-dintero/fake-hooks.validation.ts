/**
 * The request checks of Dintero's Hooks API (`POST /accounts/{aid}/hooks/subscriptions`), as its
 * published spec states them, for the fake server. Each returns the first problem as
 * `path: reason`, or undefined.
 */
import { deliveryUrlProblem } from './fake-checkout.validation.js';

/** The `events` a subscription may name (the spec's enum); the fake delivers the checkout ones. */
const HOOK_EVENTS = new Set([
  'account_add',
  'account_update',
  'account_store_add',
  'account_store_update',
  'account_store_delete',
  'account_location_add',
  'account_location_update',
  'account_location_delete',
  'receipt_add',
  'receipt_update',
  'customer_add',
  'customer_update',
  'customer_delete',
  'customer_change_password',
  'token_add',
  'token_remove',
  'transaction',
  'wallet_transaction',
  'discount_add',
  'discount_update',
  'discount_delete',
  'discount_add_customers',
  'discount_customer_update',
  'shopping_draft_add',
  'shopping_draft_update',
  'shopping_draft_complete',
  'shopping_order_update',
  'shopping_order_event_add',
  'shopping_order_delete',
  'settlement_add',
  'location_add',
  'location_delete',
  'location_update',
  'cdd_case_update',
  'approval_payout_destination_update',
  'approval_payout_destination_delete',
  'checkout_authorization',
  'checkout_transaction',
  'checkout_token_add',
  'checkout_token_update',
  'checkout_token_delete',
]);

/** The only body format the fake sends (inferred: the spec shows no other). */
const CONTENT_TYPE = 'application/json';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks a subscription body: `config.url` Dintero can call, optional `content_type` and `secret`, known `events`. */
export function subscriptionProblem(body: unknown, allowLoopback: boolean): string | undefined {
  if (!isObject(body)) return 'body: must be a JSON object';
  const { config, events } = body;
  if (!isObject(config)) return 'config: is required (object)';
  const problem = deliveryUrlProblem(config.url, 'config.url', allowLoopback);
  if (problem) return problem;
  if (config.content_type !== undefined && config.content_type !== CONTENT_TYPE) return `config.content_type: must be ${CONTENT_TYPE}`;
  if (config.secret !== undefined && !(typeof config.secret === 'string' && config.secret !== '')) {
    return 'config.secret: must be a non-empty string';
  }
  if (config.insecure_ssl !== undefined && config.insecure_ssl !== 0 && config.insecure_ssl !== 1)
    return 'config.insecure_ssl: must be 0 or 1';
  if (!Array.isArray(events) || events.length === 0) return 'events: is required (a non-empty array)';
  const unknown: unknown = (events as unknown[]).find((event) => typeof event !== 'string' || !HOOK_EVENTS.has(event));
  if (unknown !== undefined) return `events: unknown event ${JSON.stringify(unknown)}`;
  return undefined;
}
