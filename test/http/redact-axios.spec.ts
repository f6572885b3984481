import { inspect } from 'node:util';
import { AxiosError, AxiosHeaders, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import { describe, expect, it } from 'vitest';
import { RedactedRequest, redactAxiosError, redactResponse } from '../../lib/http/redact-axios.js';

const BEARER = 'Bearer eyJ.secret.token';

function configWith(overrides: Partial<InternalAxiosRequestConfig> = {}): InternalAxiosRequestConfig {
  return {
    method: 'post',
    url: 'https://checkout.dintero.com/v1/sessions-profile',
    headers: new AxiosHeaders({ Authorization: BEARER, Accept: 'application/json' }),
    ...overrides,
  };
}

/** A stand-in for Node's ClientRequest: it keeps the raw head, token and all. */
const rawRequest = () => ({ _header: `POST /v1/sessions-profile HTTP/1.1\r\nAuthorization: ${BEARER}\r\n\r\n` });

const everyRendering = (value: unknown) =>
  [String(value), JSON.stringify(value) ?? '', inspect(value, { depth: Infinity, showHidden: true })].join('\n');

describe('RedactedRequest', () => {
  it('prints as method and URL, in String and inspect alike', () => {
    const request = new RedactedRequest('POST', 'https://checkout.dintero.com/v1/sessions-profile');
    expect(String(request)).toBe('[request POST https://checkout.dintero.com/v1/sessions-profile (redacted)]');
    expect(inspect(request)).toBe('[request POST https://checkout.dintero.com/v1/sessions-profile (redacted)]');
    expect(inspect({ request })).toContain('[request POST https://checkout.dintero.com/v1/sessions-profile (redacted)]');
  });

  it('without a method or URL, prints as axios would have sent it: GET, no URL', () => {
    expect(String(new RedactedRequest(undefined, undefined))).toBe('[request GET  (redacted)]');
  });
});

describe('redactAxiosError', () => {
  it('a redacted error carries no bearer or password in any field, and stays the same AxiosError', () => {
    const config = configWith({ auth: { username: 'merchant', password: 'pa55word' } });
    const response = { status: 404, statusText: 'Not Found', headers: {}, data: { error: 'missing' }, config, request: rawRequest() };
    const error = new AxiosError('Request failed with status code 404', 'ERR_BAD_REQUEST', config, rawRequest(), response as AxiosResponse);

    expect(redactAxiosError(error)).toBe(error);
    const text = everyRendering(error);
    expect(text).not.toContain('eyJ.secret.token');
    expect(text).not.toContain('pa55word');
    expect(error.config?.headers.has('Authorization')).toBe(false);
    expect(error.config?.headers.get('Accept')).toBe('application/json');
    // Who asked stays known; only the password goes.
    expect(error.config?.auth).toEqual({ username: 'merchant', password: '<redacted>' });
    expect(String(error.request)).toBe('[request POST https://checkout.dintero.com/v1/sessions-profile (redacted)]');
    expect(String(error.response?.request)).toBe('[request POST https://checkout.dintero.com/v1/sessions-profile (redacted)]');
    expect(error.response).toMatchObject({ status: 404, data: { error: 'missing' } });
  });

  it('an error that never reached the network gets no request stand-in', () => {
    const error = new AxiosError('Invalid URL', 'ERR_INVALID_URL', configWith());
    redactAxiosError(error);
    expect(error.request).toBeUndefined();
    expect(error.config?.headers.has('Authorization')).toBe(false);

    const nullRequest = new AxiosError('odd adapter', 'ERR_BAD_RESPONSE', configWith());
    nullRequest.request = null;
    redactAxiosError(nullRequest);
    expect(nullRequest.request).toBeUndefined();
  });

  it('errors with a partial config or none at all are handed back, not turned into a TypeError', () => {
    const noConfig = new AxiosError('socket hang up', 'ECONNRESET', undefined, rawRequest());
    expect(redactAxiosError(noConfig)).toBe(noConfig);
    expect(String(noConfig.request)).toBe('[request GET  (redacted)]');

    // Configs built by hand (custom adapters, retry libraries): no method, no headers, or plain headers.
    const bare = { url: '/v1/x' } as InternalAxiosRequestConfig;
    const noMethod = new AxiosError('boom', 'ECONNRESET', bare, rawRequest());
    expect(redactAxiosError(noMethod)).toBe(noMethod);
    expect(String(noMethod.request)).toBe('[request GET /v1/x (redacted)]');

    const plainHeaders = { headers: { Accept: 'application/json' } } as unknown as InternalAxiosRequestConfig;
    expect(() => redactAxiosError(new AxiosError('boom', 'ECONNRESET', plainHeaders))).not.toThrow();
  });

  it('every spelling of Authorization goes, from AxiosHeaders and from plain header objects', () => {
    const axiosHeaders = configWith({ headers: new AxiosHeaders({ authorization: BEARER, Accept: 'application/json' }) });
    const plain = { url: '/v1/x', headers: { AUTHORIZATION: BEARER, authorization: BEARER, Accept: 'application/json' } };
    for (const config of [axiosHeaders, plain as unknown as InternalAxiosRequestConfig]) {
      const error = new AxiosError('boom', 'ECONNRESET', config, rawRequest());
      redactAxiosError(error);
      expect(everyRendering(error)).not.toContain('eyJ.secret.token');
      expect(JSON.parse(JSON.stringify(config.headers))).toEqual({ Accept: 'application/json' });
    }
  });
});

describe('redactResponse', () => {
  it('a response loses the token from its config and its raw request', () => {
    const response = { status: 200, statusText: 'OK', headers: {}, data: { ok: true }, config: configWith(), request: rawRequest() };
    expect(redactResponse(response)).toBe(response);
    expect(everyRendering(response)).not.toContain('eyJ.secret.token');
    expect(response.request).toBeInstanceOf(RedactedRequest);
  });

  it('no response, nothing to do', () => {
    expect(redactResponse(undefined)).toBeUndefined();
  });
});
