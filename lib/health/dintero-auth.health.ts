import { Inject, Injectable, type FactoryProvider } from '@nestjs/common';
import { type HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { getDinteroTokenServiceToken } from '../module/injection-tokens.js';
import { DinteroTokenService } from '../token/dintero-token.service.js';

/** Injection token of the health indicator of the registration named `name` (see `DinteroAuthHealthIndicator.forName`). */
export function getDinteroHealthIndicatorToken(name: string): string {
  return `DinteroAuthHealthIndicator:${name}`;
}

/** Injects the health indicator of the registration named `name`, or, without a name, of the unnamed one. */
export const InjectDinteroHealthIndicator = (name?: string): PropertyDecorator & ParameterDecorator =>
  Inject(name === undefined ? DinteroAuthHealthIndicator : getDinteroHealthIndicatorToken(name));

/**
 * A `@nestjs/terminus` health indicator: up while a usable token is held (with its time to
 * expiry), down with the last error's code while none is. List the class among a module's
 * providers for the unnamed registration, `DinteroAuthHealthIndicator.forName(name)` for a
 * named one.
 *
 * Probes are cheap: a held token is read, never fetched. With no token, a probe starts the
 * shared fetch in the background and answers at once; single flight and the backoff after
 * failures keep that to one token request per backoff period however often probes come.
 */
@Injectable()
export class DinteroAuthHealthIndicator {
  /** @internal Made by the injector, or by {@link DinteroAuthHealthIndicator.forName}. */
  constructor(
    @Inject(DinteroTokenService) private readonly tokens: DinteroTokenService,
    @Inject(HealthIndicatorService) private readonly health: HealthIndicatorService,
  ) {}

  /** A provider of the indicator of the registration named `name`; inject it with `@InjectDinteroHealthIndicator(name)`. */
  static forName(name: string): FactoryProvider<DinteroAuthHealthIndicator> {
    return {
      provide: getDinteroHealthIndicatorToken(name),
      useFactory: (tokens: DinteroTokenService, health: HealthIndicatorService) => new DinteroAuthHealthIndicator(tokens, health),
      inject: [getDinteroTokenServiceToken(name), HealthIndicatorService],
    };
  }

  /** The indicator's result under `key` (default `dintero`); never waits for a token request. */
  isHealthy(key = 'dintero'): HealthIndicatorResult {
    const indicator = this.health.check(key);
    const { token, lastError, consecutiveFailures, nextAttemptAt } = this.tokens.status();
    if (token) {
      return indicator.up({
        fingerprint: token.fingerprint,
        expiresInSeconds: Math.max(0, Math.round((token.expiresAt.getTime() - this.tokens.clock.wallNow()) / 1000)),
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
