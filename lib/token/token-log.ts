import { Logger } from '@nestjs/common';
import { LOGGER_CONTEXT } from '../options/dintero-auth.constants.js';
import type { DinteroTokenEvent } from './dintero-token.events.js';
import type { TokenEventBus } from './token-event-bus.js';

/** Whose tokens a log names: the account, and the token URL a failed request went to (it has no query). */
export interface TokenLogSubject {
  readonly accountId: string;
  readonly tokenUrl: string;
}

/**
 * Every log line about one client's tokens, written from its events: the token service and
 * the shared source only emit, so a line never tells something the events do not, and once the
 * bus completes at shutdown nothing more is logged. Each line names the account (several share
 * a log); fingerprints and dates only, never a token.
 */
export class TokenLog {
  private readonly logger = new Logger(LOGGER_CONTEXT);
  private readonly account: string;

  constructor(
    bus: TokenEventBus,
    private readonly subject: TokenLogSubject,
  ) {
    this.account = `account ${subject.accountId}`;
    bus.events$.subscribe((event) => this.write(event));
  }

  private write(event: DinteroTokenEvent): void {
    switch (event.type) {
      case 'acquired':
        this.logger.debug(
          `Token of ${this.account} acquired${from(event.source)}: ${event.fingerprint}, expires ${event.expiresAt.toISOString()}`,
        );
        return;
      case 'refreshed':
        this.logger.debug(
          `Token of ${this.account} refreshed${from(event.source)}: ${event.previousFingerprint} -> ${event.fingerprint}, expires ${event.expiresAt.toISOString()}`,
        );
        return;
      case 'refresh-failed': {
        const next =
          event.nextDelayMs === undefined ? 'not retried until the next demand' : `next attempt in ${Math.round(event.nextDelayMs)} ms`;
        const serving = event.servingPrevious ? '; still serving the current token' : '';
        this.logger.warn(
          `Token request of ${this.account} failed (attempt ${event.attempt}, POST ${this.subject.tokenUrl}): ${event.error.message}; ${next}${serving}`,
        );
        return;
      }
      case 'expired':
        this.logger.warn(`Token ${event.fingerprint} of ${this.account} reached its usable-until time without a successor`);
        return;
      case 'invalidated':
        this.logger.debug(`Token ${event.fingerprint} of ${this.account} invalidated`);
        return;
      case 'store-failed':
        this.logger.warn(`Token store failed for ${this.account} (${event.message}): fetching tokens without it until it works again`);
        return;
      case 'store-recovered':
        this.logger.log(`Token store works again for ${this.account}: sharing tokens with other replicas`);
        return;
      case 'store-key-mismatch':
        this.logger.log(
          `Token store holds a token of ${this.account} sealed under another client secret (a rotation in progress): fetching our own`,
        );
        return;
      case 'credentials-changed': {
        const client =
          event.clientIdFingerprint === event.previousClientIdFingerprint
            ? `client ${event.clientIdFingerprint}, new secret`
            : `client ${event.previousClientIdFingerprint} -> ${event.clientIdFingerprint}`;
        const why = event.reason === 'invalid-client' ? 'after Dintero refused the ones in use' : 'on schedule';
        this.logger.log(
          `Dintero credentials of ${this.account} changed (${client}), read ${why}; tokens are fetched with them from now on`,
        );
        return;
      }
      case 'credentials-failed':
        // Without credentials yet, the token request fails with this error: its line says it.
        if (event.usingPrevious) this.logger.warn(`${event.error.message}; the last good credentials of ${this.account} stay in use`);
        return;
      case 'store-distrusted':
        this.logger.warn(`Token store not trusted for ${this.account} (${event.key}): ${event.message}`);
        return;
    }
  }
}

function from(source: 'endpoint' | 'store'): string {
  return source === 'store' ? ' (from the shared store)' : '';
}
