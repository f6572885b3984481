import axios, { type AxiosRequestConfig } from 'axios';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requestTarget } from '../../lib/http/request-url.js';

const CASES: AxiosRequestConfig[] = [
  { baseURL: 'https://checkout.dintero.com/v1', url: '/sessions/x' },
  { baseURL: 'https://checkout.dintero.com/v1/', url: 'sessions/x' },
  { baseURL: 'https://checkout.dintero.com/v1//', url: '//sessions' },
  { baseURL: 'https://checkout.dintero.com/v1', url: '' },
  { baseURL: 'https://checkout.dintero.com/v1' },
  { baseURL: 'https://checkout.dintero.com/v1', url: 'https://evil.example/x' },
  { baseURL: 'https://checkout.dintero.com/v1', url: 'HTTPS://API.DINTERO.COM:443/v1/x' },
  { baseURL: 'https://checkout.dintero.com/v1', url: '//evil.example/x' },
  { baseURL: 'https://checkout.dintero.com/v1', url: 'https://evil.example/x', allowAbsoluteUrls: false },
  { baseURL: 'https://checkout.dintero.com/v1', url: 'https://user:pw@checkout.dintero.com/v1/x' },
  { url: 'https://api.dintero.com/v1/x' },
  { url: 'http://127.0.0.1:8080/v1/x?a=1#frag' },
  { baseURL: 'http://[::1]:9000/v1', url: '/x' },
  { baseURL: 'https://checkout.dintero.com', url: '.evil.example/x' },
  { baseURL: 'https://checkout.dintero.com', url: '@evil.example/x' },
  { baseURL: 'https://checkout.dintero.com:', url: '443@evil.example/x' },
  { baseURL: 'https://checkout.dintero.com', url: '\\evil.example/x' },
  { baseURL: 'https://user@checkout.dintero.com/v1', url: '/x' },
  { baseURL: 'https://checkout.dintero.com/v1?', url: '/x' },
  { baseURL: 'not a url', url: '/x' },
  // '//' inside a relative path does not make it absolute.
  { baseURL: 'https://checkout.dintero.com/v1', url: 'sessions//evil.example/x' },
  // Schemes may hold digits, + - and dots.
  { baseURL: 'https://checkout.dintero.com/v1', url: 'h2://evil.example/x' },
  { baseURL: 'https://checkout.dintero.com/v1', url: 'svn+ssh.v2-x://evil.example/x' },
  { url: 'https://:pw@checkout.dintero.com/v1/x' },
  { baseURL: 'https://:pw@checkout.dintero.com/v1', url: '/x' },
];

/** What axios itself resolves `config` to: its origin and whether it carries user:password. */
function expectedTarget(config: AxiosRequestConfig): { origin: string | undefined; hasUserInfo: boolean } {
  let expected: URL | undefined;
  try {
    expected = new URL(axios.getUri(config));
  } catch {
    expected = undefined;
  }
  return { origin: expected?.origin, hasUserInfo: expected ? expected.username !== '' || expected.password !== '' : false };
}

describe('requestTarget', () => {
  it.each(CASES)('resolves %j to the origin axios.getUri() gives', (config) => {
    const target = requestTarget(config);
    const expected = expectedTarget(config);
    expect(target?.origin).toBe(expected.origin);
    expect(target?.hasUserInfo ?? false).toBe(expected.hasUserInfo);
  });

  it('agrees with axios.getUri() on any base URL and any url, relative or absolute', () => {
    const base = fc.oneof(fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.constant(undefined));
    const url = fc.oneof(
      fc.webPath(),
      fc.webUrl({ withQueryParameters: true }),
      fc.string(),
      fc.tuple(fc.constantFrom('//', '/', '@', ':', '\\', 'h2://', 'a+b.c-d://', '.'), fc.webPath()).map(([head, path]) => head + path),
      fc.constant(undefined),
    );
    fc.assert(
      fc.property(base, url, fc.boolean(), (baseURL, path, allowAbsoluteUrls) => {
        const config: AxiosRequestConfig = { baseURL, url: path, allowAbsoluteUrls };
        const target = requestTarget(config);
        const expected = expectedTarget(config);
        expect(target?.origin).toBe(expected.origin);
        expect(target?.hasUserInfo ?? false).toBe(expected.hasUserInfo);
      }),
      { numRuns: 500 },
    );
  });

  it('gives undefined for a relative URL without a base', () => {
    expect(requestTarget({ url: '/v1/x' })).toBeUndefined();
  });
});
