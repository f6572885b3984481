import { randomInt } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * A checkout id as Dintero's look (`P12345678.465UfBENeLpkBvwmqfTC4k`): the account, a dot, 22
 * base62 characters (about 131 random bits). Dintero documents no format (`checkout-id`); the
 * length and alphabet are read off its examples.
 */
export function checkoutId(accountId: string): string {
  let random = '';
  for (let i = 0; i < 22; i++) random += BASE62[randomInt(BASE62.length)];
  return `${accountId}.${random}`;
}
