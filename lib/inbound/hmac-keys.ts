import { createSecretKey, type KeyObject } from 'node:crypto';
import { readSecrets } from './inbound-request.js';

interface Imported {
  /** The secrets as they were when imported: a list changed in place is imported again. */
  readonly secrets: readonly string[];
  readonly keys: readonly KeyObject[];
}

/** Keys per list of secrets, as long as the list lives: importing a string key costs a tenth of an HMAC. */
const imported = new WeakMap<readonly string[], Imported>();

/** The HMAC keys of `secrets`, current first; refused when none is usable. */
export function hmacKeys(secrets: readonly string[] | undefined, what: string): readonly KeyObject[] {
  const known = secrets === undefined ? undefined : imported.get(secrets);
  if (known !== undefined && sameSecrets(known.secrets, secrets!)) return known.keys;
  // Refuses an absent or empty list.
  const keys = readSecrets(secrets, what).map(importKey);
  if (secrets !== undefined) imported.set(secrets, { secrets: [...secrets], keys });
  return keys;
}

function importKey(secret: string): KeyObject {
  return createSecretKey(Buffer.from(secret, 'utf8'));
}

function sameSecrets(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((secret, index) => secret === b[index]);
}
