import { createHash, hkdfSync, timingSafeEqual } from 'node:crypto';
import { inspect } from 'node:util';

const REDACTED = '[ClientCredentials clientId=%s secret=<redacted>]';

/**
 * A Dintero client id and secret. The secret lives in a private field: it cannot be reached by
 * `JSON.stringify`, `util.inspect` (at any depth, with hidden properties shown) or spreading, and
 * leaves this object only as an HTTP Basic `Authorization` header value.
 */
export class ClientCredentials {
  readonly #secret: string;
  /** Every encoding of the secret a server could echo back. */
  readonly #forms: readonly RegExp[];

  constructor(
    readonly clientId: string,
    secret: string,
  ) {
    this.#secret = secret;
    this.#forms = secretForms(clientId, secret);
    Object.freeze(this);
  }

  /** Whether `other` holds the same client id and secret. */
  sameAs(other: ClientCredentials): boolean {
    if (other.clientId !== this.clientId) return false;
    const [mine, theirs] = [Buffer.from(this.#secret, 'utf8'), Buffer.from(other.#secret, 'utf8')];
    return mine.length === theirs.length && timingSafeEqual(mine, theirs);
  }

  /** A short one-way label of the client id, for logs and events: the secret plays no part in it. */
  get clientIdFingerprint(): string {
    return createHash('sha256').update(this.clientId).digest('hex').slice(0, 10);
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

  /**
   * `text` with every form of the secret we know replaced by `<redacted>`: raw, `id:secret`,
   * base64 and base64url (as a Basic header carries it, or inside any longer base64 text),
   * URL-encoded, and JSON-escaped. For server-provided text, which may echo our request.
   */
  redact(text: string): string {
    let result = text;
    for (const form of this.#forms) result = result.replace(form, '<redacted>');
    return result;
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

/** Shortest base64 run worth matching inside longer base64 text: shorter ones match by chance. */
const MIN_BASE64_CORE = 8;

/** Patterns for every encoding of the secret that a server could echo back, longest first. */
function secretForms(clientId: string, secret: string): RegExp[] {
  const pair = `${clientId}:${secret}`;
  const literal = new Set<string>([pair, secret, JSON.stringify(secret).slice(1, -1)]);
  for (const value of [pair, secret]) {
    const base64 = Buffer.from(value, 'utf8').toString('base64');
    literal.add(base64).add(base64.replace(/=+$/, '')).add(Buffer.from(value, 'utf8').toString('base64url'));
    // The secret inside a longer base64 text: one run per alignment of its first byte, without
    // the first and last groups, which mix in neighbouring bytes.
    for (let offset = 0; offset < 3; offset += 1) {
      const aligned = Buffer.concat([Buffer.alloc(offset), Buffer.from(value, 'utf8')]).toString('base64');
      const core = aligned.slice(offset === 0 ? 0 : 4, -4);
      if (core.length >= MIN_BASE64_CORE) literal.add(core).add(core.replace(/\+/g, '-').replace(/\//g, '_'));
    }
  }
  const patterns = [...literal].filter((form) => form.length > 0).map((form) => new RegExp(escapeRegExp(form), 'g'));
  // Percent-encoding may use either case of hex digit, and `+` for a space.
  for (const value of [pair, secret]) {
    const encoded = encodeURIComponent(value);
    if (encoded !== value) patterns.push(new RegExp(escapeRegExp(encoded).replace(/%20/g, '(?:%20|\\+)'), 'gi'));
  }
  return patterns.sort((a, b) => b.source.length - a.source.length);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
