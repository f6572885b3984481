import { PACKAGE_NAME, PACKAGE_VERSION } from '../options/dintero-auth.constants.js';
import { DinteroErrorCode } from '../errors/dintero-error-code.js';
import { isDinteroAuthError } from '../errors/is-dintero-auth-error.js';

/** The little of `@opentelemetry/api` used here, so that it stays an optional peer. */
interface Span {
  setAttribute(key: string, value: string | number | boolean): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  end(): void;
}
interface Tracer {
  startActiveSpan<T>(name: string, fn: (span: Span) => T): T;
}

const SPAN_STATUS_ERROR = 2;
let tracer: Promise<Tracer | undefined> | undefined;

/** The OpenTelemetry tracer when `@opentelemetry/api` is installed (a no-op without an SDK), else undefined. */
function loadTracer(): Promise<Tracer | undefined> {
  tracer ??= import('@opentelemetry/api').then(
    (api) => api.trace.getTracer(PACKAGE_NAME, PACKAGE_VERSION) as unknown as Tracer,
    () => undefined,
  );
  return tracer;
}

/**
 * Runs one token request inside a `dintero.auth.token` span (when OpenTelemetry is present),
 * naming the account and recording the outcome: never the token, never the secret.
 */
export async function traceTokenRequest<T extends { expiresInSeconds: number }>(
  url: string,
  accountId: string,
  request: () => Promise<T>,
): Promise<T> {
  const active = await loadTracer();
  if (!active) return request();
  return active.startActiveSpan('dintero.auth.token', async (span) => {
    span.setAttribute('http.request.method', 'POST');
    span.setAttribute('url.full', url);
    span.setAttribute('dintero.account.id', accountId);
    try {
      const grant = await request();
      span.setAttribute('dintero.token.expires_in', grant.expiresInSeconds);
      return grant;
    } catch (error) {
      span.setAttribute('error.type', isDinteroAuthError(error) ? error.code : 'unknown');
      if (isDinteroAuthError(error, DinteroErrorCode.TOKEN_REQUEST)) span.setAttribute('http.response.status_code', error.status);
      span.setStatus({ code: SPAN_STATUS_ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}
