import { inspect } from 'node:util';
import { expect } from 'vitest';

/**
 * Every form of `value` that could leak: raw, JSON-escaped, base64 (padded or not), base64url,
 * URL-encoded (with `+` for a space, or lower-case escapes).
 */
export function secretForms(value: string): string[] {
  const base64 = Buffer.from(value, 'utf8').toString('base64');
  return [
    value,
    JSON.stringify(value).slice(1, -1),
    base64,
    base64.replace(/=+$/, ''),
    Buffer.from(value, 'utf8').toString('base64url'),
    encodeURIComponent(value),
    encodeURIComponent(value).replace(/%20/g, '+'),
    encodeURIComponent(value).replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()),
  ];
}

/** Each thing as a program could print it: a string as is, anything else through JSON and `util.inspect`. */
export function printed(things: readonly unknown[]): string[] {
  return things.flatMap((thing) =>
    typeof thing === 'string'
      ? [thing]
      : [JSON.stringify(thing) ?? '', inspect(thing, { depth: 10, showHidden: true, getters: true }), String(thing)],
  );
}

/** No text holds a secret, or a client id and secret pair, in any form. */
export function expectNoSecret(texts: readonly string[], secrets: readonly string[], clientId?: string): void {
  const forms = secrets.flatMap((secret) => [...secretForms(secret), ...(clientId ? secretForms(`${clientId}:${secret}`) : [])]);
  for (const text of texts) for (const form of forms) expect(text, 'a secret leaked').not.toContain(form);
}
