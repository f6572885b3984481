/**
 * Parsing the token endpoint's answer: any body at all is either a grant that can be used as
 * it is, or a typed, retryable DinteroTokenResponseError that never repeats the token.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DinteroTokenResponseError } from '../../lib/errors/dintero-token-response.error.js';
import { MAX_ACCESS_TOKEN_LENGTH, parseGrant, parseRetryAfter } from '../../lib/token/token-endpoint.client.js';
import { MAX_TOKEN_LIFETIME_SECONDS } from '../../lib/token/refresh-policy.js';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.payload-7f3a9c.sig';

function body(fields: Record<string, unknown>): string {
  return JSON.stringify({ access_token: TOKEN, token_type: 'Bearer', expires_in: 3600, ...fields });
}

/** What a usable answer is, stated apart from the parser. */
function usable(record: Record<string, unknown>): boolean {
  const { access_token: token, token_type: type, expires_in: expiresIn } = record;
  return (
    typeof token === 'string' &&
    token.length <= MAX_ACCESS_TOKEN_LENGTH &&
    /^[\x21-\x7e]+$/.test(token) &&
    typeof type === 'string' &&
    type.toLowerCase() === 'bearer' &&
    typeof expiresIn === 'number' &&
    expiresIn > 0 &&
    expiresIn <= MAX_TOKEN_LIFETIME_SECONDS
  );
}

/** Parses `data`; a failure must be a retryable DinteroTokenResponseError that does not repeat `token`. */
function outcome(data: unknown, token: string): ReturnType<typeof parseGrant> | DinteroTokenResponseError {
  try {
    return parseGrant(data);
  } catch (error) {
    expect(error).toBeInstanceOf(DinteroTokenResponseError);
    const typed = error as DinteroTokenResponseError;
    expect(typed).toMatchObject({ code: 'DINTERO_TOKEN_RESPONSE', retryable: true });
    expect(typed.message).toMatch(/^Dintero token response is unusable: /);
    if (token.length >= 4) expect(typed.message).not.toContain(token);
    return typed;
  }
}

const anyValue = fc.oneof(
  fc.jsonValue(),
  fc.double(),
  fc.string(),
  fc.constantFrom(undefined, null, '', 'Bearer', 'bearer', 0, -1, Number.POSITIVE_INFINITY, Number.NaN, '3600', [], {}),
);
const anyToken = fc.oneof(
  fc.constant(TOKEN),
  fc.string({ minLength: 1 }),
  fc.stringMatching(/^[\x21-\x7e]{1,64}$/),
  fc.string({ unit: 'grapheme', minLength: 1 }),
  fc.integer({ min: MAX_ACCESS_TOKEN_LENGTH - 1, max: MAX_ACCESS_TOKEN_LENGTH + 1 }).map((length) => 'a'.repeat(length)),
  // Not strings, though each would pass the header check once turned into one.
  fc.constantFrom<unknown>(12_345_678, true, ['abc'], { token: 'abc' }),
);
const anyType = fc.oneof(fc.constantFrom('Bearer', 'bearer', 'BEARER', 'BeArEr', 'mac', 'Bearer ', ''), anyValue);
const anyExpiresIn = fc.oneof(
  fc.integer({ min: -10, max: 2 * MAX_TOKEN_LIFETIME_SECONDS }),
  fc.constant(MAX_TOKEN_LIFETIME_SECONDS),
  anyValue,
);

describe('parseGrant', () => {
  it('any answer that is not a JSON object is a typed error', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.jsonValue().map((value) => JSON.stringify(value) ?? ''),
          anyValue,
        ),
        (data) => {
          const parsed = typeof data === 'string' ? tryJson(data) : data;
          if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return;
          expect(outcome(data, TOKEN)).toBeInstanceOf(DinteroTokenResponseError);
        },
      ),
    );
  });

  it('an object answer, as text or decoded: a grant exactly when every field is usable, a typed error otherwise', () => {
    fc.assert(
      fc.property(anyToken, anyType, anyExpiresIn, fc.option(anyValue), fc.boolean(), (token, type, expiresIn, refresh, asText) => {
        const record: Record<string, unknown> = {
          access_token: token,
          token_type: type,
          expires_in: expiresIn,
          refresh_token: refresh ?? undefined,
        };
        // As text, the body is what JSON can carry (undefined fields drop out, NaN becomes null).
        const data = asText ? JSON.stringify(record) : record;
        const seen = asText ? (JSON.parse(data as string) as Record<string, unknown>) : record;
        const result = outcome(data, typeof token === 'string' ? token : '');
        if (!usable(seen)) {
          expect(result).toBeInstanceOf(DinteroTokenResponseError);
          return;
        }
        expect(result).toEqual({
          accessToken: seen.access_token,
          expiresInSeconds: seen.expires_in,
          refreshToken: typeof seen.refresh_token === 'string' && seen.refresh_token !== '' ? seen.refresh_token : undefined,
        });
      }),
    );
  });

  it('examples: a body as text or decoded, token_type in any case, a refresh_token kept, 30 days the longest lifetime', () => {
    expect(parseGrant(body({}))).toEqual({ accessToken: TOKEN, expiresInSeconds: 3600, refreshToken: undefined });
    expect(parseGrant({ access_token: TOKEN, token_type: 'bearer', expires_in: 60 })).toMatchObject({
      accessToken: TOKEN,
      expiresInSeconds: 60,
    });
    expect(parseGrant(body({ refresh_token: 'refresh-abc' })).refreshToken).toBe('refresh-abc');
    expect(parseGrant(body({ refresh_token: '' })).refreshToken).toBeUndefined();
    expect(parseGrant(body({ expires_in: 2_592_000 })).expiresInSeconds).toBe(2_592_000);
  });

  it.each([
    ['an HTML error page', '<html><body>502 Bad Gateway</body></html>', 'not JSON'],
    ['an array', '[]', 'not a JSON object'],
    ['an empty object', '{}', 'access_token'],
    ['an access_token with a space', body({ access_token: `${TOKEN} x` }), 'cannot be sent in a header'],
    ['an access_token of 8 KiB and one', body({ access_token: 'a'.repeat(MAX_ACCESS_TOKEN_LENGTH + 1) }), 'longer than'],
    ['token_type "mac"', body({ token_type: 'mac' }), 'token_type'],
    ['expires_in "3600" (a string)', body({ expires_in: '3600' }), 'expires_in'],
    ['expires_in 1e400 (parses to Infinity)', `{"access_token":"${TOKEN}","token_type":"Bearer","expires_in":1e400}`, 'expires_in'],
    ['expires_in of 10 years', body({ expires_in: 315_360_000 }), 'expires_in 315360000 s'],
  ])('example: %s says what is wrong', (_label, data, problem) => {
    const error = outcome(data, TOKEN);
    expect(error).toBeInstanceOf(DinteroTokenResponseError);
    expect((error as DinteroTokenResponseError).message).toContain(problem);
    expect((error as DinteroTokenResponseError).message).not.toContain('payload-7f3a9c');
  });
});

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

describe('parseRetryAfter', () => {
  const now = Date.UTC(2025, 0, 1, 12, 0, 0);

  it('delta-seconds: any run of digits, spaces around allowed, is that many seconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), fc.constantFrom('', ' ', '  '), (seconds, pad) => {
        expect(parseRetryAfter(`${pad}${seconds}${pad}`, now)).toBe(seconds * 1000);
      }),
    );
  });

  it('an HTTP date: the time until then, or 0 once past', () => {
    fc.assert(
      fc.property(fc.integer({ min: -365 * 86_400, max: 365 * 86_400 }), (offsetSeconds) => {
        const date = new Date(now + offsetSeconds * 1000).toUTCString();
        expect(parseRetryAfter(date, now)).toBe(Math.max(0, offsetSeconds * 1000));
      }),
    );
  });

  it('anything else is no Retry-After at all, never a number', () => {
    fc.assert(
      fc.property(anyValue, (value) => {
        const text = typeof value === 'string' ? value.trim() : undefined;
        if (text !== undefined && (/^\d+$/.test(text) || /^[A-Za-z]{3}, .+ GMT$/.test(text))) return;
        expect(parseRetryAfter(value, now)).toBeUndefined();
      }),
    );
  });

  it.each([
    'soon',
    '',
    '   ',
    '-5',
    '1.5',
    'soon 1',
    undefined,
    120,
    ['120'],
    'in Wed, 01 Jan 2025 12:02:00 GMT',
    'Wed, 01 Jan 2025 12:02:00 GMT+2',
  ])('example: %j is none', (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });
});
