import type { DinteroAuthModuleOptions } from 'nestjs-dintero-auth';

/**
 * A Dintero this app runs itself, for local development only: the built-in fake that
 * `FakeDinteroModule` (src/dev) provides when no credentials are set. A deployed app has none.
 */
export abstract class LocalDintero {
  /** Its API base URL, on loopback. */
  abstract readonly baseUrl: string;
  /** The API client it accepts. */
  abstract readonly client: Pick<DinteroAuthModuleOptions, 'accountId' | 'clientId' | 'clientSecret'>;
  /** The secret it signs callbacks with (`Dintero-Signature`). */
  abstract readonly callbackSecret: string;
  /** The secret of its webhook subscription to this app (`event-signature`). */
  abstract readonly webhookSecret: string;
}
