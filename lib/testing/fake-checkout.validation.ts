/**
 * The request-body checks of Dintero's Checkout API, as its published spec states them, for the
 * fake server. Each returns the first problem as `path: reason`, or undefined when valid.
 */

const INT32_MAX = 2_147_483_647;
const ITEM_TYPES = new Set(['physical', 'digital', 'service', 'gift_card', 'shipping', 'surcharge']);

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isInt32(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= -INT32_MAX - 1 && (value as number) <= INT32_MAX;
}

function isUri(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

/** Checks a `POST /sessions-profile` body. */
export function sessionProblem(body: unknown): string | undefined {
  if (!isObject(body)) return 'body: must be a JSON object';
  if (typeof body.profile_id !== 'string') return 'profile_id: is required (string)';
  if (!isObject(body.url)) return 'url: is required (object)';
  if (!isUri(body.url.return_url)) return 'url.return_url: is required (uri)';
  for (const key of ['callback_url', 'merchant_terms_url']) {
    const value = body.url[key];
    if (value !== undefined && !(typeof value === 'string' && isUri(value) && /^https?:\/\//.test(value))) {
      return `url.${key}: must be an http(s) uri`;
    }
  }
  const order = body.order;
  if (!isObject(order)) return 'order: is required (object)';
  if (!isInt32(order.amount) || order.amount < 0) return 'order.amount: is required (non-negative int32, minor units)';
  if (typeof order.currency !== 'string' || !/^[A-Z]{3}$/.test(order.currency)) return 'order.currency: is required (ISO 4217 code)';
  if (typeof order.merchant_reference !== 'string') return 'order.merchant_reference: is required (string)';
  if (order.vat_amount !== undefined && !isInt32(order.vat_amount)) return 'order.vat_amount: must be an int32';
  if (order.items !== undefined) {
    const problem = itemsProblem(order.items, 'order.items');
    if (problem) return problem;
  }
  if (body.metadata !== undefined) {
    if (!isObject(body.metadata) || Object.keys(body.metadata).length > 10) return 'metadata: must be an object of at most 10 properties';
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
export function operationProblem(body: unknown): string | undefined {
  if (!isObject(body)) return 'body: must be a JSON object';
  if (!isInt32(body.amount) || body.amount <= 0) return 'amount: is required (positive int32, minor units)';
  if (body.items !== undefined) return itemsProblem(body.items, 'items', ['amount', 'line_id']);
  return undefined;
}
