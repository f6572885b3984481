import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DinteroAuthConfigError, type DinteroAuthModuleOptions } from '../lib/index.js';
import { normalizeOptions } from '../lib/options/normalize-options.js';

const SECRET = 'sup3r-s3cret-value';
const VALID = { accountId: 'T12345678', clientId: 'my-client', clientSecret: SECRET };

function normalize(raw: unknown) {
  return normalizeOptions(raw as DinteroAuthModuleOptions);
}

/** The DinteroAuthConfigError that `raw` is rejected with. */
function configError(raw: unknown): DinteroAuthConfigError {
  try {
    normalize(raw);
  } catch (error) {
    if (error instanceof DinteroAuthConfigError) return error;
    throw error;
  }
  return expect.fail('expected normalizeOptions to throw a DinteroAuthConfigError');
}

function expectIssues(raw: unknown, paths: string[]): DinteroAuthConfigError {
  const error = configError(raw);
  expect(error.code).toBe('DINTERO_AUTH_CONFIG');
  expect(error.issues.map((issue) => issue.path)).toEqual(paths);
  for (const path of paths) expect(error.message).toContain(`- ${path}:`);
  return error;
}

describe('normalizeOptions defaults', () => {
  it('fills every default from the three required options', () => {
    const config = normalize(VALID);
    expect(config).toMatchObject({
      accountId: 'T12345678',
      audience: 'https://api.dintero.com/v1/accounts/T12345678',
      baseUrl: 'https://checkout.dintero.com/v1',
      tokenUrl: 'https://checkout.dintero.com/v1/accounts/T12345678/auth/token',
      refresh: { windowStart: 0.75, windowEnd: 0.85, safetyMarginFraction: 0.1, safetyMarginMaxMs: 60_000 },
      retry: { initialDelayMs: 500, maxDelayMs: 30_000, demandIntervalMs: 1_000 },
      requestTimeoutMs: 10_000,
      acquireTimeoutMs: 10_000,
      prefetch: false,
      allowInsecureLoopback: false,
    });
    expect(config.credentials.clientId).toBe('my-client');
  });

  it('removes a trailing slash from baseUrl and builds the token URL from it', () => {
    const config = normalize({ ...VALID, baseUrl: 'https://test.example.com/v1/' });
    expect(config.baseUrl).toBe('https://test.example.com/v1');
    expect(config.tokenUrl).toBe('https://test.example.com/v1/accounts/T12345678/auth/token');
  });

  it('keeps explicit values', () => {
    const config = normalize({
      ...VALID,
      audience: 'https://example.com/aud',
      refresh: { windowStart: 0.5 },
      retry: { maxDelayMs: 1_000, demandIntervalMs: 250 },
      requestTimeoutMs: 2_000,
      acquireTimeoutMs: 3_000,
      prefetch: true,
    });
    expect(config.audience).toBe('https://example.com/aud');
    expect(config.refresh).toEqual({ windowStart: 0.5, windowEnd: 0.85, safetyMarginFraction: 0.1, safetyMarginMaxMs: 60_000 });
    expect(config.retry).toEqual({ initialDelayMs: 500, maxDelayMs: 1_000, demandIntervalMs: 250 });
    expect([config.requestTimeoutMs, config.acquireTimeoutMs, config.prefetch]).toEqual([2_000, 3_000, true]);
  });

  it('freezes the result and its nested objects', () => {
    const config = normalize(VALID);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.refresh)).toBe(true);
    expect(Object.isFrozen(config.retry)).toBe(true);
    expect(Object.isFrozen(config.credentials)).toBe(true);
  });
});

describe('normalizeOptions accountId', () => {
  it.each(['T12345678', 'P12345678', 'T123', 'P123'])('accepts %j', (accountId) => {
    expect(normalize({ ...VALID, accountId }).accountId).toBe(accountId);
  });

  it.each(['X12345678', 'T1234', 'T1234567890', 'T12a45678', 't12345678', ''])('rejects %j', (accountId) => {
    expectIssues({ ...VALID, accountId }, ['accountId']);
  });

  it('rejects a missing or non-string accountId', () => {
    expectIssues({ clientId: VALID.clientId, clientSecret: SECRET }, ['accountId']);
    expectIssues({ ...VALID, accountId: 12345678 }, ['accountId']);
  });
});

describe('normalizeOptions credentials', () => {
  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['blank', '   '],
    ['containing ":"', 'my:client'],
    ['with surrounding spaces', ' my-client '],
    ['with a control character', 'my\tclient'],
  ])('rejects a clientId %s', (_label, clientId) => {
    expectIssues({ ...VALID, clientId }, ['clientId']);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['not a string', 42],
    ['with a control character', 'abc\ndef'],
    ['with surrounding spaces', ' abc '],
  ])('rejects a clientSecret %s', (_label, clientSecret) => {
    expectIssues({ ...VALID, clientSecret }, ['clientSecret']);
  });
});

describe('normalizeOptions baseUrl and audience', () => {
  it.each(['not a url', '/v1', 42])('rejects baseUrl %j that is not an absolute URL', (baseUrl) => {
    expectIssues({ ...VALID, baseUrl }, ['baseUrl']);
  });

  it('rejects plain http without allowInsecureLoopback, even to loopback', () => {
    const error = expectIssues({ ...VALID, baseUrl: 'http://127.0.0.1:3000/v1' }, ['baseUrl']);
    expect(error.message).toContain('must use https');
  });

  it.each(['http://example.com/v1', 'http://10.0.0.1/v1', 'http://127.0.0.1.example.com/v1'])(
    'rejects plain http to non-loopback %s even with allowInsecureLoopback',
    (baseUrl) => {
      expectIssues({ ...VALID, baseUrl, allowInsecureLoopback: true }, ['baseUrl']);
    },
  );

  it.each([
    ['http://127.0.0.1:3000/v1', 'http://127.0.0.1:3000/v1'],
    ['http://localhost:3000/v1/', 'http://localhost:3000/v1'],
    ['http://[::1]:3000/v1', 'http://[::1]:3000/v1'],
  ])('allows plain http to loopback %s with allowInsecureLoopback', (baseUrl, expected) => {
    const config = normalize({ ...VALID, baseUrl, allowInsecureLoopback: true });
    expect(config.baseUrl).toBe(expected);
    expect(config.allowInsecureLoopback).toBe(true);
  });

  it('rejects other protocols, even with allowInsecureLoopback', () => {
    const error = expectIssues({ ...VALID, baseUrl: 'ftp://127.0.0.1/v1', allowInsecureLoopback: true }, ['baseUrl']);
    expect(error.message).toContain('"ftp:"');
  });

  it.each([
    'https://user:pass@checkout.dintero.com/v1',
    'https://user@checkout.dintero.com/v1',
    'https://checkout.dintero.com/v1?x=1',
    'https://checkout.dintero.com/v1#top',
    'https://checkout.dintero.com/v1?',
    'https://checkout.dintero.com/v1#',
  ])('rejects baseUrl %s carrying credentials, a query or a fragment', (baseUrl) => {
    const error = expectIssues({ ...VALID, baseUrl }, ['baseUrl']);
    expect(error.message).toContain('credentials, a query or a fragment');
    expect(error.message).not.toContain('pass@');
  });

  it.each(['not a url', '', 42])('rejects audience %j', (audience) => {
    expectIssues({ ...VALID, audience }, ['audience']);
  });
});

describe('normalizeOptions unknown keys and types', () => {
  it('names a misspelt top-level key, and the option it was meant to be', () => {
    const { clientSecret, ...rest } = VALID;
    expectIssues({ ...rest, clientsecret: clientSecret }, ['clientsecret', 'clientSecret']);
  });

  it('names unknown keys inside refresh and retry', () => {
    expectIssues({ ...VALID, refresh: { windowstart: 0.5 }, retry: { maxDelay: 1 } }, ['refresh.windowstart', 'retry.maxDelay']);
  });

  it.each([
    ['refresh', 'soon'],
    ['retry', [500]],
    ['refresh', null],
  ])('rejects %s that is not an object (%j)', (key, value) => {
    expectIssues({ ...VALID, [key]: value }, [key]);
  });

  it.each(['prefetch', 'allowInsecureLoopback'])('rejects a non-boolean %s', (key) => {
    expectIssues({ ...VALID, [key]: 'true' }, [key]);
  });

  it.each([null, 'T12345678', [VALID], 42, undefined])('rejects options that are not an object: %j', (raw) => {
    const error = expectIssues(raw, ['(options)']);
    expect(error.issues[0]?.problem).toBe('must be an object');
  });
});

describe('normalizeOptions durations', () => {
  const bad = [0, -1, Number.NaN, Number.POSITIVE_INFINITY, 2_147_483_648, '1000'];

  it.each(bad)('rejects requestTimeoutMs %j', (requestTimeoutMs) => {
    expectIssues({ ...VALID, requestTimeoutMs }, ['requestTimeoutMs']);
  });

  it.each(bad)('rejects acquireTimeoutMs %j', (acquireTimeoutMs) => {
    expectIssues({ ...VALID, acquireTimeoutMs }, ['acquireTimeoutMs']);
  });

  it.each(bad)('rejects refresh.safetyMarginMaxMs %j', (safetyMarginMaxMs) => {
    expectIssues({ ...VALID, refresh: { safetyMarginMaxMs } }, ['refresh.safetyMarginMaxMs']);
  });

  it.each(bad)('rejects retry.initialDelayMs %j', (initialDelayMs) => {
    expectIssues({ ...VALID, retry: { initialDelayMs } }, ['retry.initialDelayMs']);
  });

  it('accepts the largest timer delay, 2147483647 ms', () => {
    expect(normalize({ ...VALID, requestTimeoutMs: 2_147_483_647 }).requestTimeoutMs).toBe(2_147_483_647);
  });
});

describe('normalizeOptions refresh and retry timing', () => {
  it.each([
    ['windowStart', 0],
    ['windowStart', 1],
    ['windowStart', -0.5],
    ['windowStart', Number.NaN],
    ['windowEnd', 0],
    ['windowEnd', 1],
    ['windowEnd', 1.5],
    ['safetyMarginFraction', 0],
    ['safetyMarginFraction', 1],
    ['safetyMarginFraction', '0.1'],
  ])('rejects refresh.%s %j outside (0, 1)', (key, value) => {
    const error = expectIssues({ ...VALID, refresh: { [key]: value } }, [`refresh.${key}`]);
    expect(error.message).toContain('between 0 and 1');
  });

  it('rejects windowStart after windowEnd', () => {
    expectIssues({ ...VALID, refresh: { windowStart: 0.8, windowEnd: 0.7 } }, ['refresh.windowStart']);
  });

  it.each([
    { windowEnd: 0.9 },
    { windowEnd: 0.95 },
    { safetyMarginFraction: 0.15 },
    { windowStart: 0.5, windowEnd: 0.6, safetyMarginFraction: 0.4 },
  ])('rejects windowEnd at or past 1 - safetyMarginFraction: %j', (refresh) => {
    const error = expectIssues({ ...VALID, refresh }, ['refresh.windowEnd']);
    expect(error.message).toContain('must be below 1 - refresh.safetyMarginFraction');
  });

  it('accepts windowEnd just below 1 - safetyMarginFraction, and an empty window', () => {
    expect(normalize({ ...VALID, refresh: { windowEnd: 0.89 } }).refresh.windowEnd).toBe(0.89);
    const refresh = { windowStart: 0.5, windowEnd: 0.5, safetyMarginFraction: 0.4 };
    expect(normalize({ ...VALID, refresh }).refresh).toMatchObject(refresh);
  });

  it('rejects retry.maxDelayMs below retry.initialDelayMs', () => {
    expectIssues({ ...VALID, retry: { initialDelayMs: 1_000, maxDelayMs: 999 } }, ['retry.maxDelayMs']);
    expectIssues({ ...VALID, retry: { initialDelayMs: 60_000 } }, ['retry.maxDelayMs']);
  });
});

describe('normalizeOptions reports every problem at once', () => {
  it('names all bad fields in one error', () => {
    const error = configError({
      accountId: 'X1',
      clientId: 'a:b',
      clientSecret: '',
      baseUrl: 'ftp://checkout.dintero.com',
      prefetch: 'yes',
      requestTimeoutMs: -1,
      refresh: { windowEnd: 2 },
      retry: { initialDelayMs: 0 },
      extra: true,
    });
    const paths = [
      'extra',
      'accountId',
      'clientId',
      'clientSecret',
      'prefetch',
      'baseUrl',
      'refresh.windowEnd',
      'retry.initialDelayMs',
      'requestTimeoutMs',
    ];
    expect(error.issues).toHaveLength(9);
    expect(error.issues.map((issue) => issue.path)).toEqual(paths);
    expect(error.message).toContain('Invalid DinteroAuthModule options (9)');
    for (const path of paths) expect(error.message).toContain(`- ${path}:`);
  });
});

describe('normalizeOptions never echoes the client secret', () => {
  function expectHidden(text: string, fragments: string[]): void {
    for (const fragment of fragments) expect(text).not.toContain(fragment);
  }

  it.each([
    ['beside another bad field', { ...VALID, accountId: 'X1', retry: { maxDelayMs: 0 } }],
    ['under a misspelt key', { accountId: 'X1', clientId: VALID.clientId, clientsecret: SECRET }],
    ['with surrounding spaces', { ...VALID, clientSecret: ` ${SECRET} ` }],
    ['with a control character', { ...VALID, clientSecret: `sup3r\u0007-s3cret-value` }],
  ])('not in an error for bad options, secret %s', (_label, raw) => {
    const error = configError(raw);
    expect(error.issues.length).toBeGreaterThan(0);
    for (const text of [error.message, JSON.stringify(error), inspect(error, { depth: 10, showHidden: true })]) {
      expectHidden(text, ['sup3r', 's3cret']);
    }
  });

  it('not in an error for the secret "abc\\ndef"', () => {
    const error = expectIssues({ ...VALID, clientSecret: 'abc\ndef' }, ['clientSecret']);
    for (const text of [error.message, JSON.stringify(error), inspect(error, { depth: 10, showHidden: true })]) {
      expectHidden(text, ['abc', 'def']);
    }
  });

  it('not in a valid config, which still builds the Basic header from it', () => {
    const config = normalize(VALID);
    const shown = [
      JSON.stringify(config),
      inspect(config, { depth: 10, showHidden: true, getters: true }),
      String(config.credentials),
      JSON.stringify({ ...config.credentials }),
    ];
    for (const text of shown) expectHidden(text, [SECRET]);
    expect(JSON.stringify(config)).toContain('"clientId":"my-client"');
    expect(config.credentials.basicAuthorization()).toBe(`Basic ${Buffer.from(`my-client:${SECRET}`).toString('base64')}`);
    expect(config.credentials.basicAuthorization()).toBe('Basic bXktY2xpZW50OnN1cDNyLXMzY3JldC12YWx1ZQ==');
  });
});

describe('normalizeOptions for the HTTP client', () => {
  it('defaults: Dintero origins plus the base URL origin, system headers naming the package, 30 s timeout', () => {
    const config = normalize({ ...VALID, baseUrl: 'http://127.0.0.1:4010/v1', allowInsecureLoopback: true });
    expect([...config.allowedOrigins].sort()).toEqual(['http://127.0.0.1:4010', 'https://api.dintero.com', 'https://checkout.dintero.com']);
    expect(config).toMatchObject({ systemName: 'nestjs-dintero-auth', apiTimeoutMs: 30_000, httpsAgent: undefined });
    expect(config.systemVersion).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('apiOrigins extend the allowed origins, normalized, never replacing them', () => {
    const config = normalize({ ...VALID, apiOrigins: ['https://Billing.Dintero.com:443', 'http://localhost:8080'], allowInsecureLoopback: true });
    expect(config.allowedOrigins).toEqual(
      new Set(['https://checkout.dintero.com', 'https://api.dintero.com', 'https://billing.dintero.com', 'http://localhost:8080']),
    );
  });

  it.each([
    [['https://api.example.com/v1'], 'apiOrigins[0]'],
    [['http://api.example.com'], 'apiOrigins[0]'],
    [['https://ok.example.com', 'not a url'], 'apiOrigins[1]'],
    [['https://user:pw@api.example.com'], 'apiOrigins[0]'],
    ['https://api.example.com', 'apiOrigins'],
  ])('rejects apiOrigins %j', (apiOrigins, path) => {
    expectIssues({ ...VALID, apiOrigins }, [path]);
  });

  it.each([
    ['systemName', ''],
    ['systemName', 'x'.repeat(121)],
    ['systemVersion', 'v1\n'],
    ['systemVersion', 7],
  ])('rejects %s %j (Dintero allows 1 to 120 printable characters)', (key, value) => {
    expectIssues({ ...VALID, [key]: value }, [key]);
  });

  it('accepts an https.Agent and rejects anything else as httpsAgent', async () => {
    const { Agent } = await import('node:https');
    const agent = new Agent({ keepAlive: true });
    expect(normalize({ ...VALID, httpsAgent: agent }).httpsAgent).toBe(agent);
    expectIssues({ ...VALID, httpsAgent: { keepAlive: true } }, ['httpsAgent']);
    agent.destroy();
  });

  it('does not echo a long accountId, which may be a secret in the wrong variable', () => {
    const error = expectIssues({ ...VALID, accountId: SECRET }, ['accountId']);
    expect(error.message).not.toContain(SECRET);
    expect(error.message).toContain(`a ${SECRET.length}-character value`);
  });
});
