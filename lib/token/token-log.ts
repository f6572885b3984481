import { Logger } from '@nestjs/common';
import { LOGGER_CONTEXT } from '../options/dintero-auth.constants.js';
import type { DinteroTokenEvent } from './dintero-token.events.js';
import type { TokenEventBus } from './token-event-bus.js';

/**
 * Every log line about one client's tokens, written from its events: the token service and
 * the shared source only emit, so a line never tells something the events do not, and once the
 * bus completes at shutdown nothing more is logged. Fingerprints and dates only, never a token.
 */
export class TokenLog {
  private readonly logger = new Logger(LOGGER_CONTEXT);

  constructor(bus: TokenEventBus) {
    bus.events$.subscribe((event) => this.write(event));
  }

  private write(event: DinteroTokenEvent): void {
    switch (event.type) {
      case 'acquired':
        this.logger.debug(`Token acquired${from(event.source)}: ${event.fingerprint}, expires ${event.expiresAt.toISOString()}`);
        return;
      case 'refreshed':
        this.logger.debug(
          `Token refreshed${from(event.source)}: ${event.previousFingerprint} -> ${event.fingerprint}, expires ${event.expiresAt.toISOString()}`,
        );
        return;
      case 'refresh-failed': {
        const next =
          event.nextDelayMs === undefined ? 'not retried until the next demand' : `next attempt in ${Math.round(event.nextDelayMs)} ms`;
        const serving = event.servingPrevious ? '; still serving the current token' : '';
        this.logger.warn(`Token request failed (attempt ${event.attempt}): ${event.error.message}; ${next}${serving}`);
        return;
      }
      case 'expired':
        this.logger.warn(`Token ${event.fingerprint} reached its usable-until time without a successor`);
        return;
      case 'invalidated':
        this.logger.debug(`Token ${event.fingerprint} invalidated`);
        return;
      case 'store-failed':
        this.logger.warn(`Token store failed (${event.message}): fetching tokens without it until it works again`);
        return;
      case 'store-recovered':
        this.logger.log('Token store works again: sharing tokens with other replicas');
        return;
      case 'store-distrusted':
        this.logger.warn(`Token store not trusted (${event.key}): ${event.message}`);
        return;
    }
  }
}

function from(source: 'endpoint' | 'store'): string {
  return source === 'store' ? ' (from the shared store)' : '';
}
