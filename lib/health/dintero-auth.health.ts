import { Inject, Injectable } from '@nestjs/common';
import { type HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { DinteroTokenService } from '../token/dintero-token.service.js';

/**
 * A `@nestjs/terminus` health indicator: up while a usable token is held (with its time to
 * expiry), down with the last error's code while none is.
 *
 * Probes are cheap: a held token is read, never fetched. With no token, a probe starts the
 * shared fetch in the background and answers at once; single flight and the backoff after
 * failures keep that to one token request per backoff period however often probes come.
 */
@Injectable()
export class DinteroAuthHealthIndicator {
  constructor(
    @Inject(DinteroTokenService) private readonly tokens: DinteroTokenService,
    @Inject(HealthIndicatorService) private readonly health: HealthIndicatorService,
  ) {}

  /** The indicator's result under `key` (default `dintero`); never waits for a token request. */
  isHealthy(key = 'dintero'): HealthIndicatorResult {
    const indicator = this.health.check(key);
    const { token, lastError, consecutiveFailures, nextAttemptAt } = this.tokens.status();
    if (token) {
      return indicator.up({
        fingerprint: token.fingerprint,
        expiresInSeconds: Math.max(0, Math.round((token.expiresAt.getTime() - Date.now()) / 1000)),
        refreshAt: token.refreshAt.toISOString(),
      });
    }
    // Kick off the shared fetch for the next probe; its outcome lands in status().
    this.tokens.getToken().catch(() => undefined);
    return indicator.down({
      error: lastError?.code ?? 'NO_TOKEN_YET',
      ...(lastError ? { message: lastError.message } : {}),
      consecutiveFailures,
      ...(nextAttemptAt ? { nextAttemptAt: nextAttemptAt.toISOString() } : {}),
    });
  }
}
