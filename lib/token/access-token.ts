import { inspect } from 'node:util';
import type { TokenTimeline } from './refresh-policy.js';
import { tokenFingerprint } from './token-fingerprint.js';

/** What the token endpoint granted, after validation. */
export interface TokenGrant {
  readonly accessToken: string;
  readonly expiresInSeconds: number;
  readonly refreshToken?: string | undefined;
}

/**
 * A Dintero access token and its timeline. The token itself lives in a private field and leaves
 * only through the `accessToken` getter: `toString`, `toJSON` and `util.inspect` show a
 * fingerprint instead, so logging this object leaks nothing.
 */
export class DinteroAccessToken {
  readonly #accessToken: string;
  readonly #refreshToken: string | undefined;

  /** Always `Bearer`, the only type Dintero issues. */
  readonly tokenType = 'Bearer' as const;
  /** Lifetime in seconds, as granted. */
  readonly expiresIn: number;
  /** When the request that obtained it was sent (its lifetime counts from there). */
  readonly obtainedAt: Date;
  /** When Dintero stops accepting it. */
  readonly expiresAt: Date;
  /** When its successor is fetched in the background. */
  readonly refreshAt: Date;
  /** When it stops being handed out: a safety margin before `expiresAt`. */
  readonly usableUntil: Date;
  /** A short one-way label, safe to log. */
  readonly fingerprint: string;
  /**
   * The same moments on the monotonic clock; the service decides by these, never by the dates.
   * @internal
   */
  readonly timeline: TokenTimeline;

  /** @internal Made by `DinteroTokenService`. */
  constructor(grant: TokenGrant, timeline: TokenTimeline, sentAtWallMs: number) {
    this.#accessToken = grant.accessToken;
    this.#refreshToken = grant.refreshToken;
    this.expiresIn = grant.expiresInSeconds;
    this.timeline = timeline;
    const wall = (mono: number) => new Date(sentAtWallMs + (mono - timeline.sentAt));
    this.obtainedAt = new Date(sentAtWallMs);
    this.expiresAt = wall(timeline.expiresAt);
    this.refreshAt = wall(timeline.refreshAt);
    this.usableUntil = wall(timeline.usableUntil);
    this.fingerprint = tokenFingerprint(grant.accessToken);
  }

  /** The bearer token to send in `Authorization: Bearer ...`. */
  get accessToken(): string {
    return this.#accessToken;
  }

  /** A refresh token, if Dintero sent one (it does not for client credentials). */
  get refreshToken(): string | undefined {
    return this.#refreshToken;
  }

  /** Whether `token` (an access token string or object) is this very token. */
  matches(token: DinteroAccessToken | string): boolean {
    return (typeof token === 'string' ? token : token.accessToken) === this.#accessToken;
  }

  toString(): string {
    return `DinteroAccessToken(${this.fingerprint}, expires ${this.expiresAt.toISOString()})`;
  }

  toJSON(): Record<string, unknown> {
    return {
      accessToken: '<redacted>',
      fingerprint: this.fingerprint,
      tokenType: this.tokenType,
      expiresIn: this.expiresIn,
      obtainedAt: this.obtainedAt.toISOString(),
      refreshAt: this.refreshAt.toISOString(),
      usableUntil: this.usableUntil.toISOString(),
      expiresAt: this.expiresAt.toISOString(),
    };
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
