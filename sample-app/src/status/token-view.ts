import type { DinteroTokenEvent, DinteroTokenStatus } from 'nestjs-dintero-auth';

/** The token as the shop page's panel shows it: its fingerprint and times, never the token. */
export interface TokenView {
  readonly fingerprint: string;
  readonly obtainedAt: string;
  readonly refreshAt: string;
  readonly expiresAt: string;
}

/** `/auth/status` and the panel's first message: the token held, if any, and how its requests go. */
export function statusView(status: DinteroTokenStatus, now: Date) {
  const { token, refreshing, consecutiveFailures, lastError, nextAttemptAt } = status;
  return {
    healthy: token !== undefined,
    now: now.toISOString(),
    token: token && {
      fingerprint: token.fingerprint,
      obtainedAt: token.obtainedAt.toISOString(),
      refreshAt: token.refreshAt.toISOString(),
      expiresAt: token.expiresAt.toISOString(),
      expiresInSeconds: Math.max(0, Math.round((token.expiresAt.getTime() - now.getTime()) / 1000)),
    },
    refreshing,
    consecutiveFailures,
    lastError: lastError && { code: lastError.code, message: lastError.message },
    nextAttemptAt: nextAttemptAt?.toISOString(),
  };
}

/**
 * One event of `DinteroTokenService.events$` for the browser: picked field by field, so that
 * nothing the library adds to an event later reaches a page unseen (no event holds a token today).
 */
export function eventView(event: DinteroTokenEvent, now: Date) {
  const at = now.toISOString();
  switch (event.type) {
    case 'acquired':
    case 'refreshed':
      return {
        type: event.type,
        at,
        source: event.source,
        token: {
          fingerprint: event.fingerprint,
          obtainedAt: at,
          refreshAt: event.refreshAt.toISOString(),
          expiresAt: event.expiresAt.toISOString(),
        },
      };
    case 'refresh-failed':
      return {
        type: event.type,
        at,
        attempt: event.attempt,
        nextDelayMs: event.nextDelayMs,
        servingPrevious: event.servingPrevious,
        error: { code: event.error.code, message: event.error.message },
      };
    case 'expired':
    case 'invalidated':
      return { type: event.type, at, fingerprint: event.fingerprint };
    default:
      return { type: event.type, at };
  }
}
