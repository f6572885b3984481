import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { USER_AGENT } from '../options/dintero-auth.constants.js';
import type { DinteroAuthError } from '../errors/dintero-auth.error.js';
import { DinteroTokenNetworkError, systemCodeNote } from '../errors/dintero-token-network.error.js';
import { DinteroTokenRequestError } from '../errors/dintero-token-request.error.js';
import { DinteroTokenResponseError } from '../errors/dintero-token-response.error.js';
import type { ClientCredentials } from '../options/client-credentials.js';
import type { DinteroAuthConfig } from '../options/dintero-auth.config.js';
import type { TokenGrant } from './access-token.js';
import type { Clock } from './clock.js';
import { MAX_TOKEN_LIFETIME_SECONDS } from './refresh-policy.js';
import { traceTokenRequest } from './token-tracing.js';

/** Largest token endpoint answer accepted, after decompression: a token answer is about 1 KiB. */
export const MAX_TOKEN_RESPONSE_BYTES = 64 * 1024;
/** Longest `access_token` accepted: it travels in a header, which servers cap at about 8 KiB. */
export const MAX_ACCESS_TOKEN_LENGTH = 8 * 1024;

/** Where tokens are granted: Dintero's token endpoint, or a stand-in of a test kit. */
export interface TokenEndpoint {
  /** Requests a token with `credentials`; rejects only with a `DinteroAuthError`. */
  requestToken(signal: AbortSignal, credentials: ClientCredentials): Promise<TokenGrant>;
}

/**
 * The one HTTP call to Dintero's token endpoint: sends the client-credentials grant, validates
 * the answer, and turns every failure into a typed {@link DinteroAuthError}. It uses an axios
 * instance of its own, so no interceptor (ours or the app's) ever sees the Basic credentials.
 * Each request has a total deadline (`requestTimeoutMs`, headers and body, however slowly the
 * server sends them) and a size cap, and everything built from the answer is scrubbed of the
 * secret in every encoding.
 */
export class TokenEndpointClient implements TokenEndpoint {
  private readonly http: AxiosInstance;

  constructor(
    private readonly config: DinteroAuthConfig,
    /** Reads an HTTP-date `Retry-After` against the client's wall clock. */
    private readonly clock: Clock,
  ) {
    this.http = axios.create({
      // The total deadline is an abort signal (axios' own timeout only bounds socket idleness),
      // and the body is capped after decompression: a small gzip answer can inflate to gigabytes.
      maxContentLength: MAX_TOKEN_RESPONSE_BYTES,
      // The request carries the client secret: never follow a redirect anywhere.
      maxRedirects: 0,
      responseType: 'text',
      transformResponse: [(body: unknown) => body],
      validateStatus: () => true,
      // axios would send the Basic credentials to an http proxy in plain text; use httpsAgent.
      proxy: false,
      // One request per token lifetime: a pooled keep-alive socket would only go stale between
      // them, and the next refresh would fail on it.
      httpAgent: new HttpAgent({ keepAlive: false }),
      httpsAgent: config.httpsAgent ?? new HttpsAgent({ keepAlive: false }),
      headers: { 'User-Agent': USER_AGENT, Accept: 'application/json' },
    });
  }

  /** Requests a token; rejects only with a {@link DinteroAuthError}. */
  requestToken(signal: AbortSignal, credentials: ClientCredentials): Promise<TokenGrant> {
    return traceTokenRequest(this.config.tokenUrl, this.config.accountId, () => this.send(signal, credentials));
  }

  private async send(signal: AbortSignal, credentials: ClientCredentials): Promise<TokenGrant> {
    const deadline = AbortSignal.timeout(this.config.requestTimeoutMs);
    let response: AxiosResponse<unknown>;
    try {
      response = await this.http.post(
        this.config.tokenUrl,
        JSON.stringify({ grant_type: 'client_credentials', audience: this.config.audience }),
        {
          signal: AbortSignal.any([signal, deadline]),
          headers: {
            'Content-Type': 'application/json',
            Authorization: credentials.basicAuthorization(),
          },
        },
      );
    } catch (error) {
      // The axios error holds the request config with the Basic header: keep none of it.
      throw this.toFailure(error, deadline.aborted && !signal.aborted);
    }
    if (response.status < 200 || response.status > 299) throw this.toRequestError(response, credentials);
    return parseGrant(response.data);
  }

  private toFailure(error: unknown, pastDeadline: boolean): DinteroAuthError {
    const url = this.config.tokenUrl;
    const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : undefined;
    const failed = `Dintero token request to ${url} failed`;
    if (pastDeadline) {
      const message = `${failed}: timeout: no complete answer within requestTimeoutMs (${this.config.requestTimeoutMs} ms)`;
      return new DinteroTokenNetworkError(message, { failure: 'timeout', url });
    }
    if (axios.isCancel(error) || code === 'ERR_CANCELED')
      return new DinteroTokenNetworkError(`${failed}: aborted`, { failure: 'aborted', url });
    if (code === 'ERR_BAD_RESPONSE' && /maxContentLength/.test((error as Error).message)) {
      return unusable(`the answer is larger than ${MAX_TOKEN_RESPONSE_BYTES / 1024} KiB`);
    }
    if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') {
      return new DinteroTokenNetworkError(`${failed}: timeout${systemCodeNote(code)}`, { failure: 'timeout', systemCode: code, url });
    }
    return new DinteroTokenNetworkError(`${failed}: connection${systemCodeNote(code)}`, { failure: 'connection', systemCode: code, url });
  }

  private toRequestError(response: AxiosResponse<unknown>, credentials: ClientCredentials): DinteroTokenRequestError {
    const body = parseJson(response.data);
    const error = isRecord(body) && isRecord(body.error) ? body.error : {};
    const dinteroCode = scrub(error.code, credentials);
    const dinteroMessage = scrub(error.message, credentials);
    const said = `${dinteroCode ? ` (${dinteroCode})` : ''}${dinteroMessage ? `: ${dinteroMessage}` : ''}`;
    return new DinteroTokenRequestError(`Dintero token endpoint answered ${response.status}${said}`, {
      status: response.status,
      dinteroCode,
      dinteroMessage,
      retryAfterMs: parseRetryAfter(response.headers['retry-after'], this.clock.wallNow()),
    });
  }
}

/** Server-provided text, scrubbed of the secret sent in every form, then kept short. */
function scrub(value: unknown, credentials: ClientCredentials): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return undefined;
  // Scrubbed whole, before cutting: a cut could split an encoded secret past recognition.
  const clean = credentials.redact(value);
  return clean.length > 300 ? `${clean.slice(0, 300)}...` : clean;
}

/** The error for an answer that is not a usable token. */
function unusable(problem: string): DinteroTokenResponseError {
  return new DinteroTokenResponseError(`Dintero token response is unusable: ${problem}`);
}

/** Validates a 200 body into a grant, or throws {@link DinteroTokenResponseError}. */
export function parseGrant(data: unknown): TokenGrant {
  const body = parseJson(data);
  if (body === undefined) throw unusable('the body is not JSON');
  if (!isRecord(body)) throw unusable('the body is not a JSON object');
  const { access_token: accessToken, token_type: tokenType, expires_in: expiresIn, refresh_token: refreshToken } = body;
  if (typeof accessToken !== 'string' || accessToken.length === 0) {
    throw unusable('access_token is missing or not a non-empty string');
  }
  if (accessToken.length > MAX_ACCESS_TOKEN_LENGTH) {
    throw unusable(`access_token is longer than ${MAX_ACCESS_TOKEN_LENGTH} characters`);
  }
  if (!/^[\x21-\x7e]+$/.test(accessToken)) {
    throw unusable('access_token holds characters that cannot be sent in a header');
  }
  if (typeof tokenType !== 'string' || tokenType.toLowerCase() !== 'bearer') {
    throw unusable('token_type is not "Bearer"');
  }
  if (typeof expiresIn !== 'number' || !Number.isFinite(expiresIn) || expiresIn <= 0) {
    throw unusable('expires_in is not a positive number of seconds');
  }
  if (expiresIn > MAX_TOKEN_LIFETIME_SECONDS) {
    throw unusable(`expires_in ${expiresIn} s is beyond the ${MAX_TOKEN_LIFETIME_SECONDS} s accepted`);
  }
  return {
    accessToken,
    expiresInSeconds: expiresIn,
    refreshToken: typeof refreshToken === 'string' && refreshToken.length > 0 ? refreshToken : undefined,
  };
}

/** `Retry-After` as milliseconds from `nowMs`: delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: unknown, nowMs: number): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Only an IMF-fixdate-like value (it names a weekday and GMT); V8's Date.parse takes "-5" too.
  if (!/^[A-Za-z]{3}, .+ GMT$/.test(text)) return undefined;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

function parseJson(data: unknown): unknown {
  if (typeof data !== 'string') return data ?? undefined;
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
