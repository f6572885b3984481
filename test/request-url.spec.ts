import axios, { type AxiosRequestConfig } from 'axios';
import { describe, expect, it } from 'vitest';
import { requestTarget } from '../lib/http/request-url.js';

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
];

describe('requestTarget', () => {
  it.each(CASES)('resolves %j to the origin axios.getUri() gives', (config) => {
    let expected: URL | undefined;
    try {
      expected = new URL(axios.getUri(config));
    } catch {
      expected = undefined;
    }
    const target = requestTarget(config);
    expect(target?.origin).toBe(expected?.origin);
    expect(target?.hasUserInfo ?? false).toBe(expected ? expected.username !== '' || expected.password !== '' : false);
  });

  it('gives undefined for a relative URL without a base', () => {
    expect(requestTarget({ url: '/v1/x' })).toBeUndefined();
  });
});
