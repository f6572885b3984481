import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DinteroAuthConfigError, type DinteroAuthModuleOptions, dinteroOptionsFromEnv } from '../../lib/index.js';
import { normalizeOptions } from '../../lib/options/normalize-options.js';

const SECRET = 'sup3r-s3cret-value';
const VALID = { accountId: 'T12345678', clientId: 'my-client', clientSecret: SECRET };
const MAX_TIMER_MS = 2_147_483_647;
const hasControl = (text: string) => [...text].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f);
/** Values of every JSON-ish kind, and a few JavaScript-only ones options may come with. */
const anyValue = fc.oneof(fc.jsonValue(), fc.constantFrom(undefined, Number.NaN, Number.POSITIVE_INFINITY, -0, [], {}));

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
    expect(config.credentials.initial!.clientId).toBe('my-client');
  });

  it('removes a trailing slash from baseUrl and builds the token URL from it', () => {
    expect(normalize({ ...VALID, baseUrl: 'https://test.example.com/v1//' }).baseUrl).toBe('https://test.example.com/v1');
    const config = normalize({ ...VALID, baseUrl: 'https://test.example.com/v1/' });
    expect(config.baseUrl).toBe('https://test.example.com/v1');
    expect(config.tokenUrl).toBe('https://test.example.com/v1/accounts/T12345678/auth/token');
  });

  it('keeps explicit values', () => {
    const config = normalize({
      ...VALID,
      audience: 'https://checkout.dintero.com/v1/accounts/T12345678',
      refresh: { windowStart: 0.5 },
      retry: { maxDelayMs: 1_000, demandIntervalMs: 250 },
      requestTimeoutMs: 2_000,
      acquireTimeoutMs: 3_000,
      prefetch: true,
    });
    expect(config.audience).toBe('https://checkout.dintero.com/v1/accounts/T12345678');
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

describe('normalizeOptions accountId and credentials', () => {
  const unit = fc.constantFrom(...'TPtX0123456789a :-_\t\n\u007f'.split(''));
  const text = fc.oneof(fc.string({ unit, maxLength: 11 }), fc.string(), fc.stringMatching(/^[TP](\d{3}|\d{8})$/));

  it('an accountId is kept exactly when it is T or P and 8 digits (3 for a partner); anything else is one issue', () => {
    fc.assert(
      fc.property(fc.oneof(text, anyValue), (accountId) => {
        const valid = typeof accountId === 'string' && /^[TP](\d{3}|\d{8})$/.test(accountId);
        if (valid) expect(normalize({ ...VALID, accountId }).accountId).toBe(accountId);
        else expectIssues({ ...VALID, accountId }, ['accountId']);
      }),
    );
  });

  it('a clientId is kept exactly when it is non-blank, trimmed, without ":" or control characters (it goes into the Basic header)', () => {
    fc.assert(
      fc.property(fc.oneof(text, anyValue), (clientId) => {
        const valid =
          typeof clientId === 'string' &&
          clientId.trim() !== '' &&
          clientId === clientId.trim() &&
          !clientId.includes(':') &&
          !hasControl(clientId);
        if (valid) expect(normalize({ ...VALID, clientId }).credentials.initial!.clientId).toBe(clientId);
        else expectIssues({ ...VALID, clientId }, ['clientId']);
      }),
    );
  });

  it('a clientSecret is accepted exactly when it is non-empty, trimmed, without control characters', () => {
    fc.assert(
      fc.property(fc.oneof(text, anyValue), (clientSecret) => {
        const valid =
          typeof clientSecret === 'string' && clientSecret !== '' && clientSecret === clientSecret.trim() && !hasControl(clientSecret);
        if (valid)
          expect(normalize({ ...VALID, clientSecret }).credentials.initial!.basicAuthorization()).toBe(
            `Basic ${Buffer.from(`my-client:${clientSecret}`).toString('base64')}`,
          );
        else expectIssues({ ...VALID, clientSecret }, ['clientSecret']);
      }),
    );
  });

  it('says which are missing, as opposed to malformed', () => {
    expect(configError({ ...VALID, accountId: '' }).issues).toEqual([
      { path: 'accountId', problem: 'is required (a string such as "T12345678")' },
    ]);
    expect(configError({ ...VALID, clientId: '   ' }).issues).toEqual([{ path: 'clientId', problem: 'is required (a non-empty string)' }]);
  });

  it('examples: a partner id, a lower-case t, a secret with a newline', () => {
    expect(normalize({ ...VALID, accountId: 'P123' }).accountId).toBe('P123');
    expectIssues({ ...VALID, accountId: 't12345678' }, ['accountId']);
    expectIssues({ clientId: VALID.clientId, clientSecret: SECRET }, ['accountId']);
    expectIssues({ ...VALID, clientSecret: 'abc\ndef' }, ['clientSecret']);
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

  it('takes a baseUrl only over https, or plain http to loopback when allowed, and never with credentials, a query or a fragment', () => {
    const LOOPBACK = ['127.0.0.1', 'localhost', '[::1]'];
    const url = fc.record({
      protocol: fc.constantFrom('https', 'http', 'ftp'),
      host: fc.constantFrom(...LOOPBACK, 'checkout.dintero.com', '10.0.0.1', '127.0.0.1.example.com', 'localhost.example.com'),
      port: fc.constantFrom('', ':3000'),
      userinfo: fc.constantFrom('', 'user@', 'user:pass@'),
      path: fc.constantFrom('/v1', '/v1/', '/v1//', ''),
      suffix: fc.constantFrom('', '?', '?x=1', '#', '#top'),
    });
    fc.assert(
      fc.property(url, fc.boolean(), (parts, allowInsecureLoopback) => {
        const baseUrl = `${parts.protocol}://${parts.userinfo}${parts.host}${parts.port}${parts.path}${parts.suffix}`;
        const transportOk =
          parts.protocol === 'https' || (parts.protocol === 'http' && allowInsecureLoopback && LOOPBACK.includes(parts.host));
        const options = { ...VALID, baseUrl, allowInsecureLoopback };
        if (!transportOk || parts.userinfo !== '' || parts.suffix !== '') {
          const error = expectIssues(options, ['baseUrl']);
          expect(error.message).not.toContain('pass@');
          return;
        }
        const config = normalize(options);
        expect(config.baseUrl).toBe(`${parts.protocol}://${parts.host}${parts.port}${parts.path.replace(/\/+$/, '')}`);
        expect(config.tokenUrl).toBe(`${config.baseUrl}/accounts/${VALID.accountId}/auth/token`);
      }),
    );
  });

  it('says why a baseUrl is refused', () => {
    const problem = (options: object) => configError({ ...VALID, ...options }).issues[0]?.problem;
    expect(problem({ baseUrl: 'http://10.0.0.1/v1', allowInsecureLoopback: true })).toBe(
      'plain http is allowed only to 127.0.0.1, ::1 or localhost, not "10.0.0.1"',
    );
    expect(problem({ baseUrl: 'ftp://127.0.0.1/v1', allowInsecureLoopback: true })).toBe('protocol "ftp:" is not supported; use https');
    expect(problem({ baseUrl: 'https://user:pass@checkout.dintero.com/v1' })).toBe('must not carry credentials, a query or a fragment');
  });

  it.each(['not a url', '', 42])('rejects audience %j', (audience) => {
    expectIssues({ ...VALID, audience }, ['audience']);
  });

  // An audience names the account the token is for: another one, another host or scheme is refused.
  it.each([
    'http://evil.test/',
    'javascript:alert(1)',
    'https://api.dintero.com/v1/accounts/T87654321',
    'http://api.dintero.com/v1/accounts/T12345678',
    'https://api.dintero.com.evil.test/v1/accounts/T12345678',
    'https://api.dintero.com/v1/accounts/T12345678/',
    'https://api.dintero.com/v1/accounts/T12345678?x=1',
    'https://checkout.dintero.com/v1/accounts/T1234567',
  ])("accepts no audience but the account's own: refuses %s", (audience) => {
    const error = expectIssues({ ...VALID, audience }, ['audience']);
    expect(error.issues[0]!.problem).toBe(
      'must be this account\'s audience: "https://api.dintero.com/v1/accounts/T12345678" (the default) or "https://checkout.dintero.com/v1/accounts/T12345678"',
    );
  });

  it("accepts Dintero's audience of the account and the configured base URL's", () => {
    expect(normalize({ ...VALID, audience: 'https://api.dintero.com/v1/accounts/T12345678' }).audience).toBe(
      'https://api.dintero.com/v1/accounts/T12345678',
    );
    const base = { ...VALID, baseUrl: 'http://127.0.0.1:3000/v1', allowInsecureLoopback: true };
    expect(normalize({ ...base, audience: 'http://127.0.0.1:3000/v1/accounts/T12345678' }).audience).toBe(
      'http://127.0.0.1:3000/v1/accounts/T12345678',
    );
    expectIssues({ ...base, audience: 'https://checkout.dintero.com/v1/accounts/T12345678' }, ['audience']);
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

  it('rejects options that are not an object, whatever they are', () => {
    fc.assert(
      fc.property(fc.oneof(anyValue, fc.array(anyValue)), (raw) => {
        if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) return;
        const error = expectIssues(raw, ['(options)']);
        expect(error.issues[0]?.problem).toBe('must be an object');
      }),
    );
  });

  it('names every key it does not know, wherever it is', () => {
    const known = new Set(Object.keys(normalize(VALID)).concat('clientId', 'clientSecret', 'apiOrigins', 'store'));
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (key) => {
        fc.pre(!known.has(key) && key !== '__proto__');
        expectIssues({ ...VALID, [key]: 1 }, [key]);
      }),
    );
  });
});

describe('normalizeOptions durations and timing', () => {
  const durationPaths = [
    'requestTimeoutMs',
    'acquireTimeoutMs',
    'apiTimeoutMs',
    'refresh.safetyMarginMaxMs',
    'retry.initialDelayMs',
    'retry.maxDelayMs',
    'retry.demandIntervalMs',
  ];
  const isDuration = (value: unknown) => typeof value === 'number' && Number.isFinite(value) && value > 0 && value <= MAX_TIMER_MS;
  const isFraction = (value: unknown) => typeof value === 'number' && value > 0 && value < 1;
  const durationValue = fc.oneof(
    anyValue,
    fc.integer({ min: -1, max: MAX_TIMER_MS + 1 }),
    fc.constantFrom(0, MAX_TIMER_MS, MAX_TIMER_MS + 1),
  );
  const fractionValue = fc.oneof(anyValue, fc.double({ min: -0.5, max: 1.5 }), fc.constantFrom(0, 1, 0.5));

  /** `{ a: { b: value } }` for the path "a.b". */
  function at(path: string, value: unknown): Record<string, unknown> {
    const [head, tail] = path.split('.') as [string, string | undefined];
    return tail ? { [head]: { [tail]: value } } : { [head]: value };
  }

  it('any duration is kept when it is a number of milliseconds in (0, 2^31 - 1], and is one issue at its path otherwise', () => {
    fc.assert(
      fc.property(fc.constantFrom(...durationPaths), durationValue, (path, value) => {
        // The backoff needs initial <= max: keep the other one out of the way.
        const retry =
          path === 'retry.initialDelayMs'
            ? { maxDelayMs: MAX_TIMER_MS }
            : path === 'retry.maxDelayMs'
              ? { initialDelayMs: Number.MIN_VALUE }
              : {};
        if (value === undefined) return; // absent: the default
        const raw: Record<string, unknown> = { ...VALID, ...at(path, value) };
        if (path.startsWith('retry.')) raw.retry = { ...retry, ...(raw.retry as object) };
        if (!isDuration(value)) {
          expectIssues(raw, [path]);
          return;
        }
        const config = normalize(raw) as unknown as Record<string, Record<string, unknown>>;
        const [head, tail] = path.split('.') as [string, string | undefined];
        expect(tail ? config[head]![tail] : config[head]).toBe(value);
      }),
    );
  });

  it('a refresh timing is accepted exactly when every fraction is in (0, 1), windowStart <= windowEnd < 1 - safetyMarginFraction', () => {
    fc.assert(
      fc.property(
        fc.option(fractionValue),
        fc.option(fractionValue),
        fc.option(fractionValue),
        (windowStart, windowEnd, safetyMarginFraction) => {
          const refresh = Object.fromEntries(
            Object.entries({ windowStart, windowEnd, safetyMarginFraction }).filter(([, value]) => value !== null && value !== undefined),
          );
          const timing = { windowStart: 0.75, windowEnd: 0.85, safetyMarginFraction: 0.1, ...refresh };
          const fractions = Object.values(refresh).every(isFraction);
          const ordered = timing.windowStart <= timing.windowEnd && timing.windowEnd < 1 - timing.safetyMarginFraction;
          if (fractions && ordered) {
            expect(normalize({ ...VALID, refresh }).refresh).toMatchObject(refresh);
            return;
          }
          const error = configError({ ...VALID, refresh });
          expect(error.issues.length).toBeGreaterThan(0);
          for (const issue of error.issues) expect(issue.path).toMatch(/^refresh\.(windowStart|windowEnd|safetyMarginFraction)$/);
          for (const [key, value] of Object.entries(refresh)) {
            if (!isFraction(value))
              expect(error.issues).toContainEqual({ path: `refresh.${key}`, problem: 'must be a number between 0 and 1 (exclusive)' });
          }
        },
      ),
    );
  });

  it('a retry timing is accepted exactly when maxDelayMs is not below initialDelayMs', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_TIMER_MS }), fc.integer({ min: 1, max: MAX_TIMER_MS }), (initialDelayMs, maxDelayMs) => {
        const raw = { ...VALID, retry: { initialDelayMs, maxDelayMs } };
        if (maxDelayMs >= initialDelayMs) expect(normalize(raw).retry).toMatchObject({ initialDelayMs, maxDelayMs });
        else expectIssues(raw, ['retry.maxDelayMs']);
      }),
    );
  });

  it('examples: windowEnd at 1 - safetyMarginFraction says why; an empty window is fine; 60 s initial delay over the 30 s default cap', () => {
    const error = expectIssues({ ...VALID, refresh: { windowEnd: 0.9 } }, ['refresh.windowEnd']);
    expect(error.message).toContain('must be below 1 - refresh.safetyMarginFraction (0.9)');
    expectIssues({ ...VALID, refresh: { windowStart: 0.8, windowEnd: 0.7 } }, ['refresh.windowStart']);
    const refresh = { windowStart: 0.5, windowEnd: 0.5, safetyMarginFraction: 0.4 };
    expect(normalize({ ...VALID, refresh }).refresh).toMatchObject(refresh);
    expectIssues({ ...VALID, retry: { initialDelayMs: 60_000 } }, ['retry.maxDelayMs']);
  });
});

describe('normalizeOptions reports every problem at once, each saying what is wrong', () => {
  const duration = 'must be a number of milliseconds above 0 and at most 2147483647';
  const unknown = 'is not a known option';

  it('names all bad fields in one error, in a stable order', () => {
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
    expect(error.issues).toEqual([
      { path: 'extra', problem: unknown },
      { path: 'accountId', problem: '"X1" is not a Dintero account id: T (test) or P (production), then 8 digits, or 3 for a partner' },
      { path: 'clientId', problem: 'must not contain ":", control characters or surrounding spaces' },
      { path: 'clientSecret', problem: 'is required (a non-empty string)' },
      { path: 'prefetch', problem: 'must be true or false' },
      { path: 'baseUrl', problem: 'protocol "ftp:" is not supported; use https' },
      { path: 'refresh.windowEnd', problem: 'must be a number between 0 and 1 (exclusive)' },
      { path: 'retry.initialDelayMs', problem: duration },
      { path: 'requestTimeoutMs', problem: duration },
    ]);
    expect(error.message).toContain('Invalid DinteroAuthModule options (9)');
    for (const issue of error.issues) expect(error.message).toContain(`- ${issue.path}: ${issue.problem}`);
  });

  it('and the other kinds of problem', () => {
    const error = configError({
      clientId: '',
      clientSecret: ' x',
      accountId: 'T1234567890123',
      audience: 42,
      store: { get() {} },
      httpsAgent: {},
      apiOrigins: 'https://x.example.com',
      systemName: '',
      refresh: 'soon',
      retry: { initialDelayMs: 2, maxDelayMs: 1, bogus: 1 },
      allowInsecureLoopback: 'no',
      baseUrl: 'not a url',
    });
    expect(error.issues).toEqual([
      {
        path: 'accountId',
        problem: 'a 14-character value is not a Dintero account id: T (test) or P (production), then 8 digits, or 3 for a partner',
      },
      { path: 'clientId', problem: 'is required (a non-empty string)' },
      { path: 'clientSecret', problem: 'must not contain control characters or surrounding spaces (value not shown)' },
      {
        path: 'audience',
        problem:
          'must be this account\'s audience: "https://api.dintero.com/v1/accounts/{accountId}" (the default) or "https://checkout.dintero.com/v1/accounts/{accountId}"',
      },
      { path: 'allowInsecureLoopback', problem: 'must be true or false' },
      { path: 'baseUrl', problem: 'must be an absolute URL such as "https://checkout.dintero.com/v1"' },
      { path: 'refresh', problem: 'must be an object' },
      { path: 'retry.bogus', problem: unknown },
      { path: 'retry.maxDelayMs', problem: 'must not be below retry.initialDelayMs' },
      { path: 'apiOrigins', problem: 'must be an array of origins such as "https://api.dintero.com"' },
      { path: 'systemName', problem: 'must be 1 to 120 printable ASCII characters' },
      {
        path: 'store',
        problem: 'must be a DinteroTokenStore (get, set, acquireLease, watch, claim, raise and close methods), e.g. a RedisTokenStore',
      },
      { path: 'httpsAgent', problem: 'must be an http(s).Agent, such as https.Agent or a proxy agent' },
    ]);
    expect(
      configError({ ...VALID, refresh: { windowStart: 0.8, windowEnd: 0.7 }, apiOrigins: ['https://a.example.com/path'] }).issues,
    ).toEqual([
      { path: 'refresh.windowStart', problem: 'must not be after refresh.windowEnd' },
      { path: 'apiOrigins[0]', problem: 'must be an origin only (scheme, host and port), with no path, query or credentials' },
    ]);
  });

  it('shows an accountId only when it is a near miss, else only its length: a 12-character value may be a short secret', () => {
    expect(configError({ ...VALID, accountId: 'T1234567890' }).issues[0]!.problem).toMatch(/^"T1234567890" is not/);
    expect(configError({ ...VALID, accountId: 't1234567' }).issues[0]!.problem).toMatch(/^"t1234567" is not/);
    expect(configError({ ...VALID, accountId: 'T12345678901' }).issues[0]!.problem).toMatch(/^a 12-character value is not/);
    expect(configError({ ...VALID, accountId: 'sk_live_0123' }).issues[0]!.problem).toMatch(/^a 12-character value is not/);
    expect(configError({ ...VALID, accountId: 'sk_live_0123' }).message).not.toContain('sk_live');
  });
});

describe('normalizeOptions never echoes the client secret', () => {
  function expectHidden(text: string, fragments: string[]): void {
    for (const fragment of fragments) expect(text).not.toContain(fragment);
  }

  it('for any secret, malformed or not, beside any other bad fields or under a misspelt key: never in the error', () => {
    const secret = fc
      .tuple(fc.stringMatching(/^[A-Za-z0-9]{10,24}$/), fc.constantFrom('', ' ', '\n', '\u0007'))
      .map(([core, noise]) => ({ core: `zQ${core}`, noise }));
    const badField = fc.constantFrom<Record<string, unknown>>(
      { accountId: 'X1' },
      { retry: { maxDelayMs: 0 } },
      { baseUrl: 'ftp://x' },
      { prefetch: 'yes' },
      { extra: 1 },
      {},
    );
    fc.assert(
      fc.property(
        secret,
        fc.constantFrom('clientSecret', 'clientsecret', 'client_secret', 'secret'),
        fc.boolean(),
        badField,
        ({ core, noise }, key, noiseFirst, bad) => {
          const value = noiseFirst ? `${noise}${core}` : `${core}${noise}`;
          const raw = {
            accountId: VALID.accountId,
            clientId: VALID.clientId,
            ...(key === 'clientSecret' ? {} : { clientSecret: 'other' }),
            [key]: value,
            ...bad,
          };
          let error: unknown;
          try {
            normalize(raw);
          } catch (caught) {
            error = caught;
          }
          if (error === undefined) return; // a valid secret under its own key: nothing to show
          expect(error).toBeInstanceOf(DinteroAuthConfigError);
          for (const text of [(error as Error).message, JSON.stringify(error), inspect(error, { depth: 10, showHidden: true })])
            expect(text).not.toContain(core);
        },
      ),
    );
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
      String(config.credentials.initial),
      JSON.stringify({ ...config.credentials.initial }),
    ];
    for (const text of shown) expectHidden(text, [SECRET]);
    expect(JSON.stringify(config)).toContain('"clientId":"my-client"');
    expect(config.credentials.initial!.basicAuthorization()).toBe(`Basic ${Buffer.from(`my-client:${SECRET}`).toString('base64')}`);
    expect(config.credentials.initial!.basicAuthorization()).toBe('Basic bXktY2xpZW50OnN1cDNyLXMzY3JldC12YWx1ZQ==');
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
    const config = normalize({
      ...VALID,
      apiOrigins: ['https://Billing.Dintero.com:443', 'http://localhost:8080'],
      allowInsecureLoopback: true,
    });
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

  it("takes systemName and systemVersion of 1 to 120 printable ASCII characters, and nothing else (Dintero's limit)", () => {
    const printable = fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code));
    const header = fc.oneof(
      fc.string({ unit: printable, minLength: 118, maxLength: 122 }),
      fc.string({ unit: printable, maxLength: 3 }),
      fc.string({ unit: fc.oneof(printable, fc.constantFrom('\n', '\t', 'é', '\u007f')), maxLength: 8 }),
      anyValue,
    );
    fc.assert(
      fc.property(fc.constantFrom('systemName', 'systemVersion'), header, (key, value) => {
        if (value === undefined) return;
        if (typeof value === 'string' && /^[\x20-\x7e]{1,120}$/.test(value))
          expect(normalize({ ...VALID, [key]: value })[key as 'systemName']).toBe(value);
        else expectIssues({ ...VALID, [key]: value }, [key]);
      }),
    );
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

describe('dinteroOptionsFromEnv', () => {
  it('with a credentials provider, neither needs nor reads DINTERO_CLIENT_ID and DINTERO_CLIENT_SECRET', () => {
    const credentials = () => ({ clientId: 'from-files', clientSecret: SECRET });
    expect(dinteroOptionsFromEnv({ DINTERO_ACCOUNT_ID: 'T12345678' }, { credentials })).toEqual({ accountId: 'T12345678', credentials });
    const env = { DINTERO_ACCOUNT_ID: 'T12345678', DINTERO_CLIENT_ID: 'stale', DINTERO_CLIENT_SECRET: 'stale-secret' };
    expect(dinteroOptionsFromEnv(env, { credentials })).toEqual({ accountId: 'T12345678', credentials });
  });

  it('trims every variable, as a value pasted into a .env file often carries spaces or a newline', () => {
    const env = {
      DINTERO_ACCOUNT_ID: ' T12345678\n',
      DINTERO_CLIENT_ID: ' my-client ',
      DINTERO_CLIENT_SECRET: `${SECRET}\n`,
      DINTERO_AUDIENCE: ' https://test.example.com/v1/accounts/T12345678 ',
      DINTERO_BASE_URL: '\thttps://test.example.com/v1 ',
    };
    expect(dinteroOptionsFromEnv(env)).toEqual({
      accountId: 'T12345678',
      clientId: 'my-client',
      clientSecret: SECRET,
      audience: 'https://test.example.com/v1/accounts/T12345678',
      baseUrl: 'https://test.example.com/v1',
    });
  });
});
