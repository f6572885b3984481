import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { ClientCredentials } from '../options/client-credentials.js';

const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Key ids are 8 bytes, in hex: enough to tell the keys of a rotation apart. */
const KEY_ID = /^([0-9a-f]{16})\.(.*)$/s;

/**
 * AES-256-GCM for stored tokens: `keyId.base64(iv | tag | ciphertext)`, with the store key as
 * associated data so that a value copied under another key does not decrypt. The key id says
 * which key sealed a value, so that a replica on another client secret knows it cannot open it.
 */
export class TokenCipher {
  /** Names the key, and tells nothing of it: a one-way function of a 256-bit key. */
  readonly keyId: string;

  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('TokenCipher needs a 32-byte key');
    this.keyId = createHmac('sha256', key).update('nestjs-dintero-auth/token-store/key-id').digest('hex').slice(0, 16);
  }

  /** The cipher of a client secret for one store namespace. */
  static forSecret(credentials: ClientCredentials, namespace: string): TokenCipher {
    return new TokenCipher(credentials.deriveKey(namespace, 'nestjs-dintero-auth/token-store/v1'));
  }

  seal(plaintext: string, associated: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(associated, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${this.keyId}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
  }

  /** The plaintext, or undefined when the value was not sealed with this key and association. */
  open(sealed: string, associated: string): string | undefined {
    const match = KEY_ID.exec(sealed);
    if (match && match[1] !== this.keyId) return undefined;
    // A value without a key id was sealed before ids existed: it may still be ours.
    const raw = Buffer.from(match ? match[2]! : sealed, 'base64');
    if (raw.length <= IV_BYTES + TAG_BYTES) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(associated, 'utf8'));
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      return undefined;
    }
  }

  /** The key id of a value sealed under another key, or undefined (ours, or none). */
  foreignKeyId(sealed: string): string | undefined {
    const keyId = KEY_ID.exec(sealed)?.[1];
    return keyId === this.keyId ? undefined : keyId;
  }
}
