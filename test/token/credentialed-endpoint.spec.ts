import { describe, expect, it } from 'vitest';
import { DinteroTokenNetworkError, DinteroTokenRequestError } from '../../lib/index.js';
import { isCredentialsRefusal } from '../../lib/token/credentialed-endpoint.js';

describe('isCredentialsRefusal', () => {
  it('is a 401, or a 400 that says invalid_client: what a rotated secret gets', () => {
    const answered = (status: number, dinteroCode?: string) => new DinteroTokenRequestError(`answered ${status}`, { status, dinteroCode });
    expect(isCredentialsRefusal(answered(401, 'invalid_client'))).toBe(true);
    expect(isCredentialsRefusal(answered(401))).toBe(true);
    expect(isCredentialsRefusal(answered(400, 'invalid_client'))).toBe(true);
    expect(isCredentialsRefusal(answered(400, 'invalid_request'))).toBe(false);
    expect(isCredentialsRefusal(answered(403, 'access_denied'))).toBe(false);
    expect(isCredentialsRefusal(answered(503))).toBe(false);
    expect(isCredentialsRefusal(new DinteroTokenNetworkError('no answer', { failure: 'timeout' }))).toBe(false);
    expect(isCredentialsRefusal(new Error('401'))).toBe(false);
  });
});
