import { Inject, Injectable } from '@nestjs/common';
import { type HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { DinteroAccounts } from '../accounts/dintero-accounts.js';

/** Unhealthy accounts named in a result at most; the count is always whole. */
const MAX_LISTED = 50;

/**
 * A `@nestjs/terminus` health indicator over `DinteroAccounts`: down while any held account has
 * no usable token and its last token request failed, naming those accounts (by id, with the
 * error's code). An account that has not needed a token yet is not unhealthy.
 *
 * Probes read statuses only: they never start a token request, for any account.
 */
@Injectable()
export class DinteroAccountsHealthIndicator {
  constructor(
    @Inject(DinteroAccounts) private readonly accounts: DinteroAccounts,
    @Inject(HealthIndicatorService) private readonly health: HealthIndicatorService,
  ) {}

  /** The indicator's result under `key` (default `dintero-accounts`). */
  isHealthy(key = 'dintero-accounts'): HealthIndicatorResult {
    const indicator = this.health.check(key);
    const statuses = this.accounts.status();
    const unhealthy = statuses.filter((status) => !status.token && status.consecutiveFailures > 0);
    if (unhealthy.length === 0) return indicator.up({ accounts: statuses.length });
    return indicator.down({
      accounts: statuses.length,
      unhealthyCount: unhealthy.length,
      unhealthy: unhealthy.slice(0, MAX_LISTED).map((status) => ({
        accountId: status.accountId,
        error: status.lastError?.code,
        consecutiveFailures: status.consecutiveFailures,
      })),
    });
  }
}
