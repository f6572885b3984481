import { createHash } from 'node:crypto';

/**
 * A short, one-way label for a token: enough to tell two tokens apart in logs and events,
 * useless for calling the API.
 */
export function tokenFingerprint(accessToken: string): string {
  return createHash('sha256').update(accessToken).digest('hex').slice(0, 10);
}
