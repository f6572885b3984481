import { AxiosError } from 'axios';
import { afterAll, afterEach, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import {
  DinteroAccountIdError,
  DinteroAccountNotFoundError,
  DinteroAccountResolveError,
  DinteroCredentialsError,
  DinteroSignatureError,
  type DinteroAuthConfigError,
  type DinteroAuthError,
  type DinteroAuthErrorByCode,
  DinteroErrorCode,
  DinteroTokenNetworkError,
  DinteroTokenRequestError,
  DinteroTokenResponseError,
  DinteroTokenUnavailableError,
  isDinteroAuthError,
  retryAfterMsOf,
} from '../../lib/index.js';
import { normalizeOptions } from '../../lib/options/normalize-options.js';
import type { FakeDinteroServer } from '../../lib/fake-dintero/index.js';
import { systemClock } from '../../lib/token/clock.js';
import { TokenEndpointClient } from '../../lib/token/token-endpoint.client.js';
import { fakeOptions, startFake } from '../support/token-app.js';
import { accountIdProblem } from '../../lib/options/account-id.js';

// The codes users branch on, the guard that tells this module's errors from look-alikes, and
// the typed Retry-After accessor, over errors the module really produces.

let fake: FakeDinteroServer;

beforeAll(async () => {
  fake = await startFake();
});
afterEach(() => fake.clearTokenFaults());
afterAll(() => fake.stop());

/** What the token endpoint client rejects with, after the given fault. */
async function failedRequest(fault: Parameters<FakeDinteroServer['injectTokenFault']>[0]): Promise<unknown> {
  fake.injectTokenFault(fault, 1);
  const config = normalizeOptions(fakeOptions(fake));
  const client = new TokenEndpointClient(config, systemClock);
  return client.requestToken(new AbortController().signal, config.credentials.initial!).then(
    () => expect.unreachable('the request succeeded'),
    (error: unknown) => error,
  );
}

/** One error of each class, as the module builds them. */
function oneOfEach(): DinteroAuthError[] {
  const config = (() => {
    try {
      normalizeOptions({} as never);
    } catch (error) {
      return error as DinteroAuthError;
    }
    throw new Error('normalizeOptions accepted {}');
  })();
  return [
    config,
    new DinteroTokenRequestError('Dintero token endpoint answered 503', { status: 503 }),
    new DinteroTokenNetworkError('Dintero token request failed: connection (ECONNREFUSED)', {
      failure: 'connection',
      systemCode: 'ECONNREFUSED',
    }),
    new DinteroTokenResponseError('Dintero token response is unusable: the body is not JSON'),
    DinteroTokenUnavailableError.fromReason('shutdown'),
    new DinteroAccountIdError(accountIdProblem('X1')),
    new DinteroAccountNotFoundError('No Dintero credentials for account T12345678', { accountId: 'T12345678' }),
    new DinteroAccountResolveError('Could not resolve the Dintero credentials of account T12345678: the resolver failed', {
      accountId: 'T12345678',
      failure: 'failed',
      cause: new Error('vault down'),
    }),
    new DinteroSignatureError('Not a verified Dintero request (mismatch): the signature does not match', { reason: 'mismatch' }),
    new DinteroCredentialsError('The Dintero credentials provider failed: vault down', {
      failure: 'failed',
      cause: new Error('vault down'),
    }),
  ];
}

describe('DinteroErrorCode', () => {
  it('holds every code, under its name without DINTERO_, with the strings users already branch on', () => {
    expect(DinteroErrorCode).toEqual({
      AUTH_CONFIG: 'DINTERO_AUTH_CONFIG',
      TOKEN_REQUEST: 'DINTERO_TOKEN_REQUEST',
      TOKEN_NETWORK: 'DINTERO_TOKEN_NETWORK',
      TOKEN_RESPONSE: 'DINTERO_TOKEN_RESPONSE',
      TOKEN_UNAVAILABLE: 'DINTERO_TOKEN_UNAVAILABLE',
      ACCOUNT_ID: 'DINTERO_ACCOUNT_ID',
      ACCOUNT_NOT_FOUND: 'DINTERO_ACCOUNT_NOT_FOUND',
      ACCOUNT_RESOLVE: 'DINTERO_ACCOUNT_RESOLVE',
      SIGNATURE: 'DINTERO_SIGNATURE',
      CREDENTIALS: 'DINTERO_CREDENTIALS',
    });
    expect(Object.isFrozen(DinteroErrorCode)).toBe(true);
  });

  it('is the code of exactly one error class each, and every error has its class name as name', () => {
    const errors = oneOfEach();
    expect(errors.map((error) => error.code).sort()).toEqual(Object.values(DinteroErrorCode).sort());
    for (const error of errors) expect(error.name).toBe(error.constructor.name);
    expect(errors.map((error) => error.name)).toEqual([
      'DinteroAuthConfigError',
      'DinteroTokenRequestError',
      'DinteroTokenNetworkError',
      'DinteroTokenResponseError',
      'DinteroTokenUnavailableError',
      'DinteroAccountIdError',
      'DinteroAccountNotFoundError',
      'DinteroAccountResolveError',
      'DinteroSignatureError',
      'DinteroCredentialsError',
    ]);
  });

  it('types each code as its class (checked by tsc)', () => {
    expectTypeOf<keyof DinteroAuthErrorByCode>().toEqualTypeOf<DinteroErrorCode>();
    expectTypeOf<DinteroAuthErrorByCode[DinteroAuthConfigError['code']]>().toEqualTypeOf<DinteroAuthConfigError>();
    expectTypeOf<DinteroAuthErrorByCode[DinteroTokenRequestError['code']]>().toEqualTypeOf<DinteroTokenRequestError>();
    expectTypeOf<DinteroAuthErrorByCode[DinteroTokenNetworkError['code']]>().toEqualTypeOf<DinteroTokenNetworkError>();
    expectTypeOf<DinteroAuthErrorByCode[DinteroTokenResponseError['code']]>().toEqualTypeOf<DinteroTokenResponseError>();
    expectTypeOf<DinteroAuthErrorByCode[DinteroTokenUnavailableError['code']]>().toEqualTypeOf<DinteroTokenUnavailableError>();
    expectTypeOf<DinteroAuthErrorByCode[DinteroAccountIdError['code']]>().toEqualTypeOf<DinteroAccountIdError>();
    expectTypeOf<DinteroAuthErrorByCode[DinteroAccountNotFoundError['code']]>().toEqualTypeOf<DinteroAccountNotFoundError>();
    expectTypeOf<DinteroAuthErrorByCode[DinteroAccountResolveError['code']]>().toEqualTypeOf<DinteroAccountResolveError>();
    expectTypeOf<DinteroAuthErrorByCode[DinteroSignatureError['code']]>().toEqualTypeOf<DinteroSignatureError>();
    expectTypeOf<DinteroAuthErrorByCode[DinteroCredentialsError['code']]>().toEqualTypeOf<DinteroCredentialsError>();
  });
});

describe('isDinteroAuthError', () => {
  it("accepts every error of this module, and the token endpoint's real failures", async () => {
    for (const error of oneOfEach()) expect(isDinteroAuthError(error)).toBe(true);
    expect(isDinteroAuthError(await failedRequest({ type: 'status', status: 401, code: 'invalid_client' }))).toBe(true);
    expect(isDinteroAuthError(await failedRequest({ type: 'reset' }))).toBe(true);
    expect(isDinteroAuthError(await failedRequest({ type: 'body', body: '<html>proxy</html>' }))).toBe(true);
  });

  it('refuses look-alikes: an Error or a plain object with a Dintero code, an AxiosError, and non-errors', () => {
    const lookAlike = Object.assign(new Error('Dintero token endpoint answered 503'), { code: 'DINTERO_TOKEN_REQUEST', retryable: true });
    const plain = { name: 'DinteroTokenRequestError', code: 'DINTERO_TOKEN_REQUEST', retryable: true, message: 'x', status: 503 };
    const axiosError = new AxiosError('Request failed with status code 503', 'ERR_BAD_RESPONSE');
    for (const value of [lookAlike, plain, axiosError, new Error('boom'), 'DINTERO_TOKEN_REQUEST', 503, null, undefined, {}]) {
      expect(isDinteroAuthError(value)).toBe(false);
      expect(isDinteroAuthError(value, DinteroErrorCode.TOKEN_REQUEST)).toBe(false);
    }
  });

  it('with a code, accepts only the error of that code, typed as its class', async () => {
    const failure: unknown = await failedRequest({ type: 'status', status: 429, retryAfter: 3 });
    expect(isDinteroAuthError(failure, DinteroErrorCode.TOKEN_REQUEST)).toBe(true);
    for (const code of Object.values(DinteroErrorCode).filter((code) => code !== DinteroErrorCode.TOKEN_REQUEST)) {
      expect(isDinteroAuthError(failure, code)).toBe(false);
    }
    for (const error of oneOfEach()) {
      expect(Object.values(DinteroErrorCode).filter((code) => isDinteroAuthError(error, code))).toEqual([error.code]);
    }
    if (isDinteroAuthError(failure, DinteroErrorCode.TOKEN_REQUEST)) {
      expectTypeOf(failure).toEqualTypeOf<DinteroTokenRequestError>();
      expect(failure.status).toBe(429);
    }
    if (isDinteroAuthError(failure)) expectTypeOf(failure).toEqualTypeOf<DinteroAuthError>();
  });
});

describe('retryAfterMsOf', () => {
  it("gives a token endpoint answer's Retry-After in milliseconds", async () => {
    expect(retryAfterMsOf(await failedRequest({ type: 'status', status: 429, retryAfter: 7 }))).toBe(7_000);
    expect(retryAfterMsOf(await failedRequest({ type: 'status', status: 503, retryAfter: 0 }))).toBe(0);
  });

  it('gives undefined for an answer without one, for every other error, and for look-alikes', async () => {
    const throttled = await failedRequest({ type: 'status', status: 429, retryAfter: 7 });
    expect(retryAfterMsOf(await failedRequest({ type: 'status', status: 503 }))).toBeUndefined();
    expect(retryAfterMsOf(await failedRequest({ type: 'reset' }))).toBeUndefined();
    // It does not look into a cause: the caller decides whether the cause's Retry-After applies.
    expect(retryAfterMsOf(DinteroTokenUnavailableError.fromReason('backoff', { cause: throttled as DinteroAuthError }))).toBeUndefined();
    const lookAlike = Object.assign(new Error('throttled'), { retryAfterMs: 5_000 });
    for (const value of [lookAlike, { retryAfterMs: 5_000 }, 5_000, null, undefined]) expect(retryAfterMsOf(value)).toBeUndefined();
  });
});
