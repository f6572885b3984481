import { describe, expect, it } from 'vitest';
import { DinteroTokenResponseError } from '../lib/errors/dintero-auth.errors.js';
import { parseGrant, parseRetryAfter } from '../lib/token/token-endpoint.client.js';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.payload-7f3a9c.sig';

function body(fields: Record<string, unknown>): string {
  return JSON.stringify({ access_token: TOKEN, token_type: 'Bearer', expires_in: 3600, ...fields });
}

/** The DinteroTokenResponseError that parsing `data` throws. */
function responseError(data: unknown): DinteroTokenResponseError {
  try {
    parseGrant(data);
  } catch (error) {
    if (error instanceof DinteroTokenResponseError) return error;
    throw error;
  }
  return expect.fail('expected parseGrant to throw a DinteroTokenResponseError');
}

describe('parseGrant accepts a token answer', () => {
  it('parses a JSON string body into a grant', () => {
    expect(parseGrant(body({}))).toEqual({ accessToken: TOKEN, expiresInSeconds: 3600, refreshToken: undefined });
  });

  it('parses a body axios already decoded', () => {
    expect(parseGrant({ access_token: TOKEN, token_type: 'Bearer', expires_in: 60 })).toMatchObject({
      accessToken: TOKEN,
      expiresInSeconds: 60,
    });
  });

  it.each(['bearer', 'BEARER', 'Bearer'])('accepts token_type %j in any case', (tokenType) => {
    expect(parseGrant(body({ token_type: tokenType })).accessToken).toBe(TOKEN);
  });

  it('keeps refresh_token when present', () => {
    expect(parseGrant(body({ refresh_token: 'refresh-abc' })).refreshToken).toBe('refresh-abc');
  });

  it('accepts a 30-day lifetime, the longest allowed', () => {
    expect(parseGrant(body({ expires_in: 2_592_000 })).expiresInSeconds).toBe(2_592_000);
  });
});

describe('parseGrant rejects garbage as a retryable DinteroTokenResponseError', () => {
  it.each([
    ['an HTML error page', '<html><body>502 Bad Gateway</body></html>', 'not JSON'],
    ['truncated JSON', body({}).slice(0, 30), 'not JSON'],
    ['an empty string', '', 'not JSON'],
    ['null as data', null, 'not JSON'],
    ['an empty object', '{}', 'access_token'],
    ['an array', '[]', 'not a JSON object'],
    ['JSON null', 'null', 'not a JSON object'],
    ['a JSON string', '"token"', 'not a JSON object'],
    ['a missing access_token', body({ access_token: undefined }), 'access_token'],
    ['an empty access_token', body({ access_token: '' }), 'access_token'],
    ['a numeric access_token', body({ access_token: 12345 }), 'access_token'],
    ['an access_token with a space', body({ access_token: `${TOKEN} x` }), 'access_token'],
    ['an access_token with a newline', body({ access_token: `${TOKEN}\nx` }), 'access_token'],
    ['an access_token with a non-ASCII character', body({ access_token: `${TOKEN}é` }), 'access_token'],
    ['token_type "mac"', body({ token_type: 'mac' }), 'token_type'],
    ['a missing token_type', body({ token_type: undefined }), 'token_type'],
    ['expires_in 0', body({ expires_in: 0 }), 'expires_in'],
    ['expires_in -5', body({ expires_in: -5 }), 'expires_in'],
    ['expires_in "3600" (a string)', body({ expires_in: '3600' }), 'expires_in'],
    ['expires_in "NaN"', body({ expires_in: 'NaN' }), 'expires_in'],
    ['expires_in null', body({ expires_in: null }), 'expires_in'],
    ['a missing expires_in', body({ expires_in: undefined }), 'expires_in'],
    ['expires_in 1e400 (parses to Infinity)', `{"access_token":"${TOKEN}","token_type":"Bearer","expires_in":1e400}`, 'expires_in'],
    ['expires_in of 10 years', body({ expires_in: 315_360_000 }), 'expires_in 315360000 s'],
  ])('%s', (_label, data, problem) => {
    const error = responseError(data);
    expect(error.retryable).toBe(true);
    expect(error.code).toBe('DINTERO_TOKEN_RESPONSE');
    expect(error.message).toMatch(/^Dintero token response is unusable: /);
    expect(error.message).toContain(problem);
    expect(error.message).not.toContain(TOKEN);
    expect(error.message).not.toContain('payload-7f3a9c');
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2025, 0, 1, 12, 0, 0);

  it.each([
    ['120', 120_000],
    [' 7 ', 7_000],
    ['0', 0],
    [new Date(now + 30_000).toUTCString(), 30_000],
    ['Wed, 01 Jan 2025 12:02:00 GMT', 120_000],
    ['Wed, 01 Jan 2025 11:59:00 GMT', 0],
    [new Date(now - 3_600_000).toUTCString(), 0],
  ])('%j -> %d ms', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });

  it.each(['soon', '', '   ', '-5', '1.5', 'soon 1', undefined, null, 120, ['120']])('%j -> undefined', (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });
});
