import type { FakeAnswer } from './fake-checkout-api.js';
import { dinteroError } from './fake-error-body.js';
import type { FakeTransaction } from './fake-transaction.js';

/** Dintero documents no default page size for `GET /transactions`: the fake's choice. */
const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 100;

/**
 * `GET /transactions`: the account's transactions, newest first, filtered by `merchant_reference`,
 * `session_id` and `status` (each repeatable), `limit` at a time from after `starting_after`.
 * An array, as Dintero's spec has it; which filters combine how, the page size and the order are
 * the fake's reading.
 */
export function transactionList(transactions: readonly FakeTransaction[], query: URLSearchParams): FakeAnswer {
  const limitText = query.get('limit');
  const limit = limitText === null ? DEFAULT_LIMIT : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) return [400, dinteroError(`limit: an integer from 1 to ${MAX_LIMIT}`)];
  const filters: ['merchant_reference' | 'session_id' | 'status', string[]][] = [
    ['merchant_reference', query.getAll('merchant_reference')],
    ['session_id', query.getAll('session_id')],
    ['status', query.getAll('status')],
  ];
  let matching = [...transactions]
    .reverse()
    .filter((transaction) => filters.every(([field, values]) => values.length === 0 || values.includes(transaction[field])));
  const after = query.get('starting_after');
  if (after !== null) matching = matching.slice(matching.findIndex((transaction) => transaction.id === after) + 1);
  return [200, matching.slice(0, limit)];
}
