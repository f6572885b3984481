import { hkdfSync } from 'node:crypto';
import { inspect } from 'node:util';

const REDACTED = '[ClientCredentials clientId=%s secret=<redacted>]';

/**
 * A Dintero client id and secret. The secret lives in a private field: it cannot be reached by
 * `JSON.stringify`, `util.inspect` (at any depth, with hidden properties shown) or spreading, and
 * leaves this object only as an HTTP Basic `Authorization` header value.
 */
export class ClientCredentials {
  readonly #secret: string;

  constructor(
    readonly clientId: string,
    secret: string,
  ) {
    this.#secret = secret;
    Object.freeze(this);
  }

  /** `Basic base64(client_id:client_secret)`, as RFC 7617 and Dintero's `clientAuth` scheme ask. */
  basicAuthorization(): string {
    return `Basic ${Buffer.from(`${this.clientId}:${this.#secret}`, 'utf8').toString('base64')}`;
  }

  /**
   * A 32-byte key derived from the secret with HKDF-SHA256: whoever lacks the secret cannot
   * derive it, and each `salt`/`info` pair gives an unrelated key.
   */
  deriveKey(salt: string, info: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.#secret, salt, info, 32));
  }

  /** True when `text` contains the secret, so callers can scrub server-provided text. */
  revealsSecretIn(text: string): boolean {
    return text.includes(this.#secret);
  }

  toString(): string {
    return REDACTED.replace('%s', this.clientId);
  }

  toJSON(): { clientId: string; clientSecret: string } {
    return { clientId: this.clientId, clientSecret: '<redacted>' };
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
