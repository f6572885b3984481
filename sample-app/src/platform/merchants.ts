import type { DinteroAccountCredentials } from 'nestjs-dintero-auth';

/** One merchant of the platform: its Dintero account, that account's API client, and its payment profile. */
export interface PlatformMerchant extends DinteroAccountCredentials {
  readonly accountId: string;
  readonly profileId: string;
}

/** The two merchants of the fake Dintero (it knows their clients besides the single-merchant one). */
export const FAKE_PLATFORM_MERCHANTS: readonly PlatformMerchant[] = Object.freeze([
  { accountId: 'T11111111', clientId: 'fake-merchant-a', clientSecret: 'fake-merchant-a-secret-do-not-use', profileId: 'default' },
  { accountId: 'T22222222', clientId: 'fake-merchant-b', clientSecret: 'fake-merchant-b-secret-do-not-use', profileId: 'default' },
]);

const FIELDS = ['accountId', 'clientId', 'clientSecret', 'profileId'] as const;

/**
 * PLATFORM_MERCHANTS: a JSON array of `{ accountId, clientId, clientSecret, profileId }`.
 * The error never quotes the value: it holds client secrets.
 */
export function parseMerchants(json: string): PlatformMerchant[] {
  const problem = new Error(`PLATFORM_MERCHANTS must be a JSON array of { ${FIELDS.join(', ')} }, each a non-empty string`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw problem;
  }
  const valid = (entry: unknown): entry is PlatformMerchant =>
    typeof entry === 'object' &&
    entry !== null &&
    FIELDS.every(
      (field) => typeof (entry as Record<string, unknown>)[field] === 'string' && (entry as Record<string, string>)[field] !== '',
    );
  if (!Array.isArray(parsed) || !parsed.every(valid)) throw problem;
  return parsed.map(({ accountId, clientId, clientSecret, profileId }) => ({ accountId, clientId, clientSecret, profileId }));
}
