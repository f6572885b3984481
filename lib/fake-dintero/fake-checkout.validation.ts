/**
 * The request checks of Dintero's Checkout API, as its published spec states them (schema and
 * prose), for the fake server. Each returns the first problem as `path: reason`, or undefined.
 */

const INT32_MAX = 2_147_483_647;
const ITEM_TYPES = new Set(['physical', 'digital', 'service', 'gift_card', 'shipping', 'surcharge']);
const SHIPPING_REQUIRED = ['id', 'line_id', 'amount', 'operator', 'title'] as const;
const FEATURE_TOGGLES = new Set(['strict-session-amounts']);
/** ISO 4217 codes, as the runtime's ICU knows them. */
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

type Json = Record<string, unknown>;

/** What the fake accepts beyond Dintero: loopback callback URLs, in its own test mode only. */
export interface SessionRules {
  readonly allowLoopbackCallbacks: boolean;
  /** Values of the `Dintero-Feature-Toggles` header, already checked. */
  readonly toggles: readonly string[];
  /** The account's payment profiles; undefined: any profile_id is taken. */
  readonly profileIds?: readonly string[] | undefined;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isInt32(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= -INT32_MAX - 1 && (value as number) <= INT32_MAX;
}

function parseUri(value: unknown): URL | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/** Whether a URL points at this machine. */
export function isLoopbackUrl(url: URL): boolean {
  return LOOPBACK_HOSTS.has(url.hostname) || url.hostname.startsWith('127.');
}

/** Checks `Dintero-Feature-Toggles` (comma-separated, only `strict-session-amounts`); the toggles, or a problem. */
export function featureToggles(header: string | string[] | undefined): { toggles: string[] } | { problem: string } {
  const toggles = [header ?? []]
    .flat()
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter(Boolean);
  const unknown = toggles.find((toggle) => !FEATURE_TOGGLES.has(toggle));
  return unknown ? { problem: `Dintero-Feature-Toggles: unknown toggle "${unknown}"` } : { toggles };
}

/**
 * Checks a URL Dintero will call: http(s) (`pattern: https?://*`), never this machine but in the
 * fake's loopback test mode. A `callback_url` may be plain http: Dintero takes it and calls only
 * https (the fake records such a callback as skipped). A webhook's `config.url` must be https.
 */
export function deliveryUrlProblem(
  value: unknown,
  field: string,
  allowLoopback: boolean,
  plainHttp: 'accepted' | 'refused' = 'refused',
): string | undefined {
  const url = parseUri(value);
  if (!url || !/^https?:$/.test(url.protocol)) return `${field}: must be an http(s) uri`;
  if (isLoopbackUrl(url)) return allowLoopback ? undefined : `${field}: localhost and 127.0.0.1 are not allowed`;
  return url.protocol === 'https:' || plainHttp === 'accepted' ? undefined : `${field}: callbacks are delivered only to https`;
}

/** Checks a `POST /sessions-profile` body. */
export function sessionProblem(body: unknown, rules: SessionRules): string | undefined {
  if (!isObject(body)) return 'body: must be a JSON object';
  if (typeof body.profile_id !== 'string' || body.profile_id === '') return 'profile_id: is required (string)';
  if (rules.profileIds && !rules.profileIds.includes(body.profile_id)) return `profile_id: no payment profile "${body.profile_id}"`;
  if (body.expires_at !== undefined && (typeof body.expires_at !== 'string' || Number.isNaN(Date.parse(body.expires_at))))
    return 'expires_at: must be a date-time';
  if (!isObject(body.url)) return 'url: is required (object)';
  if (!parseUri(body.url.return_url)) return 'url.return_url: is required (uri)';
  if (body.url.callback_url !== undefined) {
    const problem = deliveryUrlProblem(body.url.callback_url, 'url.callback_url', rules.allowLoopbackCallbacks, 'accepted');
    if (problem) return problem;
  }
  const terms = body.url.merchant_terms_url;
  if (terms !== undefined && !/^https?:$/.test(parseUri(terms)?.protocol ?? '')) return 'url.merchant_terms_url: must be an http(s) uri';
  const order = body.order;
  if (!isObject(order)) return 'order: is required (object)';
  const problem = orderProblem(order, rules);
  if (problem) return problem;
  if (body.metadata !== undefined) {
    if (!isObject(body.metadata) || Object.keys(body.metadata).length > 10) return 'metadata: must be an object of at most 10 properties';
    if (Object.values(body.metadata).some((value) => typeof value !== 'string')) return 'metadata: values must be strings';
  }
  if (body.checkboxes !== undefined && !(Array.isArray(body.checkboxes) && body.checkboxes.length <= 2)) return 'checkboxes: at most 2';
  return undefined;
}

function orderProblem(order: Json, rules: SessionRules): string | undefined {
  if (!isInt32(order.amount) || order.amount < 0) return 'order.amount: is required (non-negative int32, minor units)';
  if (typeof order.currency !== 'string' || !CURRENCIES.has(order.currency)) return 'order.currency: is required (an ISO 4217 code)';
  if (typeof order.merchant_reference !== 'string') return 'order.merchant_reference: is required (string)';
  if (order.vat_amount !== undefined && !isInt32(order.vat_amount)) return 'order.vat_amount: must be an int32';
  if (order.items !== undefined) {
    const problem = itemsProblem(order.items, 'order.items');
    if (problem) return problem;
  }
  const shipping = order.shipping_option;
  if (shipping !== undefined) {
    if (!isObject(shipping)) return 'order.shipping_option: must be an object';
    const missing = SHIPPING_REQUIRED.find((field) => shipping[field] === undefined);
    if (missing) return `order.shipping_option.${missing}: is required`;
    if (!isInt32(shipping.amount)) return 'order.shipping_option.amount: must be an int32';
  }
  if (order.gift_cards !== undefined && !(Array.isArray(order.gift_cards) && order.gift_cards.length <= 1))
    return 'order.gift_cards: at most 1';
  if (
    order.payout_destination_id !== undefined &&
    !(typeof order.payout_destination_id === 'string' && order.payout_destination_id.length <= 40)
  ) {
    return 'order.payout_destination_id: a string of at most 40 characters';
  }
  if (rules.toggles.includes('strict-session-amounts')) {
    const items = Array.isArray(order.items) ? (order.items as Json[]) : [];
    const sum = items.reduce((total, item) => total + Number(item.amount ?? 0), 0) + (isObject(shipping) ? Number(shipping.amount) : 0);
    const fits = order.partial_payment === true ? order.amount <= sum : order.amount === sum;
    if (!fits) return `order.amount: ${order.amount} is not the sum of the items and shipping (${sum}) (strict-session-amounts)`;
  }
  return undefined;
}

/** Checks order lines: integer amounts, numeric quantity and vat, unique line_id, known type. */
export function itemsProblem(items: unknown, path: string, required: readonly string[] = []): string | undefined {
  if (!Array.isArray(items)) return `${path}: must be an array`;
  const lineIds = new Set<string>();
  for (const [index, item] of items.entries()) {
    const at = `${path}[${index}]`;
    if (!isObject(item)) return `${at}: must be an object`;
    for (const field of required) if (item[field] === undefined) return `${at}.${field}: is required`;
    if (item.amount !== undefined && !isInt32(item.amount)) return `${at}.amount: must be an int32`;
    if (item.vat_amount !== undefined && !isInt32(item.vat_amount)) return `${at}.vat_amount: must be an int32`;
    if (item.quantity !== undefined && typeof item.quantity !== 'number') return `${at}.quantity: must be a number`;
    if (item.vat !== undefined && typeof item.vat !== 'number') return `${at}.vat: must be a number`;
    if (item.type !== undefined && !ITEM_TYPES.has(item.type as string)) return `${at}.type: must be one of ${[...ITEM_TYPES].join(', ')}`;
    if (item.line_id !== undefined) {
      if (typeof item.line_id !== 'string') return `${at}.line_id: must be a string`;
      if (lineIds.has(item.line_id)) return `${at}.line_id: "${item.line_id}" is not unique`;
      lineIds.add(item.line_id);
    }
  }
  return undefined;
}

/** Checks a capture or refund body: `amount` required (int32 > 0), items need amount and line_id. */
export function operationProblem(body: unknown, referenceField: 'capture_reference' | 'refund_reference'): string | undefined {
  if (!isObject(body)) return 'body: must be a JSON object';
  if (!isInt32(body.amount) || body.amount <= 0) return 'amount: is required (positive int32, minor units)';
  const reference = body[referenceField];
  if (reference !== undefined && typeof reference !== 'string') return `${referenceField}: must be a string`;
  if (body.items !== undefined) return itemsProblem(body.items, 'items', ['amount', 'line_id']);
  return undefined;
}
