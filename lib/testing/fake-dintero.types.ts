import type { Clock } from '../token/clock.js';

/** A Dintero API client the fake server knows. */
export interface FakeDinteroClient {
  readonly accountId: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/**
 * A fault the token endpoint answers with instead of a token.
 * - `status`: an error status in Dintero's error shape, optionally with `Retry-After`.
 * - `delay`: waits, then answers normally (beyond the client's timeout, this is a timeout).
 * - `reset`: destroys the connection without an answer.
 * - `body`: a 200 (or `status`) with a raw body of your choosing: HTML, `{}`, bad JSON...
 * - `truncate`: announces a longer body than it sends, then closes the connection.
 */
export type FakeTokenFault =
  | {
      readonly type: 'status';
      readonly status: number;
      readonly retryAfter?: string | number;
      readonly code?: string;
      readonly message?: string;
    }
  | { readonly type: 'delay'; readonly ms: number }
  | { readonly type: 'reset' }
  | { readonly type: 'body'; readonly body: string; readonly contentType?: string; readonly status?: number }
  | { readonly type: 'truncate' };

/** One request the token endpoint received, as the tests see it. */
export interface FakeTokenRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
  /** The status the fake answered with; undefined while it is answering, or if it dropped the connection. */
  readonly status: number | undefined;
  /** `Date.now()` when the request arrived. */
  readonly receivedAt: number;
}

/** One API request the fake received (any route other than the token endpoint). */
export interface FakeApiRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
  readonly receivedAt: number;
}

/** Options of a {@link FakeDinteroServer}. */
export interface FakeDinteroServerOptions {
  /** Clients that may fetch tokens. Default: one, {@link FAKE_DINTERO_CLIENT}. */
  readonly clients?: readonly FakeDinteroClient[];
  /** Lifetime of issued tokens, in seconds. Default 3600. */
  readonly tokenLifetimeSeconds?: number;
  /** Port on 127.0.0.1. Default 0 (a free one). */
  readonly port?: number;
  /** Keep every request in `tokenRequests` / `apiRequests`. Default true; counts are always kept. */
  readonly recordRequests?: boolean;
  /**
   * Test mode for callbacks: accept `http://` callback URLs on 127.0.0.1, ::1 or localhost, which
   * Dintero refuses. Default false. Callbacks are delivered to loopback hosts only, either way.
   */
  readonly allowLoopbackCallbacks?: boolean;
  /** Drives callback delays, retries and timeouts (e.g. a manual clock in tests). Default: real time. */
  readonly clock?: Clock;
}

/** The client a fake server accepts unless told otherwise. */
export const FAKE_DINTERO_CLIENT: FakeDinteroClient = Object.freeze({
  accountId: 'T12345678',
  clientId: 'fake-client-id',
  clientSecret: 'fake-client-secret-do-not-use',
});
