import { describe, expect, it } from 'vitest';
import {
  DinteroAccountIdError,
  DinteroAccountNotFoundError,
  DinteroAccountResolveError,
  DinteroCredentialsError,
  DinteroAuthConfigError,
  DinteroErrorCode,
  DinteroTokenNetworkError,
  DinteroTokenRequestError,
  DinteroTokenResponseError,
  DinteroTokenUnavailableError,
} from '../../lib/index.js';

// One constructor style, (message, options): the thrower writes the message, options carry
// `cause` and the class's fields. The factories write the messages built from data; their
// texts are pinned here word for word.

const URL = 'https://checkout.dintero.com/v1/accounts/T12345678/auth/token';

describe('(message, options)', () => {
  it('keeps the message as given, takes the fields from options, and sets cause only when one is given', () => {
    const cause = new Error('vault down');
    const errors = [
      new DinteroAuthConfigError('bad options', { issues: [{ path: 'accountId', problem: 'is required' }] }),
      new DinteroTokenRequestError('answered 503', {
        status: 503,
        dinteroCode: 'unavailable',
        dinteroMessage: 'busy',
        retryAfterMs: 2_000,
      }),
      new DinteroTokenNetworkError('no answer', { failure: 'connection', systemCode: 'ECONNREFUSED', url: URL }),
      new DinteroTokenResponseError('not a token'),
      new DinteroTokenUnavailableError('no token', { reason: 'backoff' }),
      new DinteroAccountIdError('not an id'),
      new DinteroAccountNotFoundError('unknown account', { accountId: 'T12345678' }),
      new DinteroAccountResolveError('resolver failed', { accountId: 'T12345678', failure: 'failed', cause }),
      new DinteroCredentialsError('provider failed', { failure: 'timeout' }),
    ];
    expect(errors.map((error) => [error.name, error.code, error.message, error.retryable, Object.hasOwn(error, 'cause')])).toEqual([
      ['DinteroAuthConfigError', DinteroErrorCode.AUTH_CONFIG, 'bad options', false, false],
      ['DinteroTokenRequestError', DinteroErrorCode.TOKEN_REQUEST, 'answered 503', true, false],
      ['DinteroTokenNetworkError', DinteroErrorCode.TOKEN_NETWORK, 'no answer', true, false],
      ['DinteroTokenResponseError', DinteroErrorCode.TOKEN_RESPONSE, 'not a token', true, false],
      ['DinteroTokenUnavailableError', DinteroErrorCode.TOKEN_UNAVAILABLE, 'no token', true, false],
      ['DinteroAccountIdError', DinteroErrorCode.ACCOUNT_ID, 'not an id', false, false],
      ['DinteroAccountNotFoundError', DinteroErrorCode.ACCOUNT_NOT_FOUND, 'unknown account', false, false],
      ['DinteroAccountResolveError', DinteroErrorCode.ACCOUNT_RESOLVE, 'resolver failed', true, true],
      ['DinteroCredentialsError', DinteroErrorCode.CREDENTIALS, 'provider failed', true, false],
    ]);
    expect(errors[0]).toMatchObject({ issues: [{ path: 'accountId', problem: 'is required' }] });
    expect(errors[1]).toMatchObject({ status: 503, dinteroCode: 'unavailable', dinteroMessage: 'busy', retryAfterMs: 2_000 });
    expect(errors[2]).toMatchObject({ failure: 'connection', systemCode: 'ECONNREFUSED', url: URL });
    expect(errors[4]).toMatchObject({ reason: 'backoff' });
    expect(errors[6]).toMatchObject({ accountId: 'T12345678' });
    expect(errors[7]).toMatchObject({ accountId: 'T12345678', failure: 'failed' });
    expect(errors[7]!.cause).toBe(cause);

    const last = new DinteroTokenRequestError('answered 401', { status: 401 });
    expect(new DinteroTokenUnavailableError('no token', { reason: 'timeout', cause: last }).cause).toBe(last);
    expect(Object.hasOwn(new DinteroTokenResponseError('x', { cause: undefined }), 'cause')).toBe(false);
  });

  it('derives retryable from the data: the status, the reason, the failure', () => {
    const retryable = (status: number) => new DinteroTokenRequestError('x', { status }).retryable;
    expect([408, 429, 500, 502, 503, 504].map(retryable)).toEqual([true, true, true, true, true, true]);
    expect([400, 401, 403, 404, 409, 422].map(retryable)).toEqual([false, false, false, false, false, false]);
    expect(new DinteroTokenUnavailableError('x', { reason: 'timeout' }).retryable).toBe(true);
    expect(new DinteroTokenUnavailableError('x', { reason: 'shutdown' }).retryable).toBe(false);
    const resolve = (failure: 'failed' | 'timeout' | 'shutdown') =>
      new DinteroAccountResolveError('x', { accountId: 'T1', failure }).retryable;
    expect([resolve('failed'), resolve('timeout'), resolve('shutdown')]).toEqual([true, true, false]);
  });

  it('keeps its own frozen copy of the config issues', () => {
    const issues = [{ path: 'clientId', problem: 'is required' }];
    const error = new DinteroAuthConfigError('bad', { issues });
    issues.push({ path: 'clientSecret', problem: 'is required' });
    expect(error.issues).toEqual([{ path: 'clientId', problem: 'is required' }]);
    expect(Object.isFrozen(error.issues)).toBe(true);
  });
});

describe('the factories', () => {
  it('DinteroAuthConfigError.fromIssues names every issue, one a line', () => {
    const issues = [
      { path: 'accountId', problem: 'is required' },
      { path: 'refresh.windowEnd', problem: 'must be a number' },
    ];
    const error = DinteroAuthConfigError.fromIssues(issues);
    expect(error.message).toBe(
      'Invalid DinteroAuthModule options (2):\n  - accountId: is required\n  - refresh.windowEnd: must be a number',
    );
    expect(error.issues).toEqual(issues);
  });

  it('DinteroTokenUnavailableError.fromReason says why, where the caller waited and the last failure', () => {
    const last = new DinteroTokenRequestError('Dintero token endpoint answered 503', { status: 503 });
    const context = { tokenUrl: URL, acquireTimeoutMs: 1_000 };
    const message = (...args: Parameters<typeof DinteroTokenUnavailableError.fromReason>) => {
      const error = DinteroTokenUnavailableError.fromReason(...args);
      expect(error).toMatchObject({ reason: args[0], retryable: args[0] !== 'shutdown' });
      expect(error.cause).toBe(args[1]?.cause);
      expect(Object.hasOwn(error, 'cause')).toBe(args[1]?.cause !== undefined);
      return error.message;
    };
    expect([
      message('timeout'),
      message('timeout', { cause: last }),
      message('timeout', { context }),
      message('timeout', { cause: last, context }),
      message('backoff'),
      message('backoff', { cause: last, context }),
      message('shutdown'),
      message('shutdown', { cause: last, context }),
    ]).toEqual([
      'No Dintero access token available: no token arrived within the acquire timeout',
      'No Dintero access token available: no token arrived within the acquire timeout (last error: Dintero token endpoint answered 503)',
      `No Dintero access token available: no token arrived from ${URL} within acquireTimeoutMs (1000 ms); the request is still unanswered: check that the endpoint is reachable and answers, or raise requestTimeoutMs`,
      `No Dintero access token available: no token arrived from ${URL} within acquireTimeoutMs (1000 ms) (last error: Dintero token endpoint answered 503)`,
      'No Dintero access token available: the token endpoint is failing and the next attempt is later than the caller can wait',
      `No Dintero access token available: the token endpoint (${URL}) is failing and the next attempt is later than the caller can wait (last error: Dintero token endpoint answered 503)`,
      'No Dintero access token available: the module is shutting down',
      'No Dintero access token available: the module is shutting down (last error: Dintero token endpoint answered 503)',
    ]);
  });
});
