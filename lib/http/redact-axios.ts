import { PassThrough, Readable, pipeline } from 'node:stream';
import { inspect } from 'node:util';
import type { AxiosError, AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import { removeAuthorization } from './authorization-header.js';

/**
 * Stands in for the Node `ClientRequest` on errors and responses: that object keeps the raw
 * request head (`_header`, with `Authorization`) and would print it whenever it is logged.
 */
export class RedactedRequest {
  constructor(
    readonly method: string | undefined,
    readonly url: string | undefined,
  ) {}

  toString(): string {
    return `[request ${this.method ?? 'GET'} ${this.url ?? ''} (redacted)]`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/**
 * Removes credentials from a request config in place: the Authorization header (every spelling),
 * `auth`, and the agents. `bearer`: the value the attach point put there, if it did.
 */
function redactConfig(config: InternalAxiosRequestConfig | undefined, bearer: string | undefined): void {
  if (!config) return;
  if (config.headers) removeAuthorization(config.headers, bearer);
  if (config.auth) config.auth = { username: config.auth.username, password: '<redacted>' };
  // The module's agents: their sockets lead to the raw head, token and all, of every request
  // they carry and of the last one each idle socket carried. A retry of this config gets them back.
  config.httpAgent = undefined;
  config.httpsAgent = undefined;
}

function summarize(request: unknown, config: InternalAxiosRequestConfig | undefined): RedactedRequest | undefined {
  if (request === undefined || request === null) return undefined;
  return new RedactedRequest(config?.method?.toUpperCase(), config?.url);
}

/** Makes a response safe to log: no token in its config, no raw request head. `bearer`: see redactConfig. */
export function redactResponse<T extends AxiosResponse | undefined>(response: T, bearer?: string): T {
  if (!response) return response;
  redactConfig(response.config, bearer);
  response.request = summarize(response.request, response.config);
  // A streamed body is the socket's IncomingMessage, which links back to the request head;
  // hand out a plain stream with the same bytes instead.
  if (response.data instanceof Readable) response.data = pipeline(response.data, new PassThrough(), () => undefined);
  return response;
}

/**
 * Makes an axios error safe to log while keeping it an `AxiosError` (status, code, response
 * data and headers stay): its config, request and response.request lose every credential.
 */
export function redactAxiosError<E extends AxiosError>(error: E, bearer?: string): E {
  redactConfig(error.config, bearer);
  error.request = summarize(error.request, error.config);
  redactResponse(error.response, bearer);
  return error;
}
