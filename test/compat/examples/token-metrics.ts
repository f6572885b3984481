import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DinteroTokenService } from 'nestjs-dintero-auth';
import { Counter, Gauge } from 'prom-client';

@Injectable()
export class TokenMetrics implements OnModuleInit {
  private readonly events = new Counter({ name: 'dintero_token_events_total', help: 'Token events', labelNames: ['type', 'code'] });
  private readonly expiry = new Gauge({ name: 'dintero_token_expiry_seconds', help: 'Expiry of the current token (unix time)' });

  constructor(private readonly tokens: DinteroTokenService) {}

  onModuleInit(): void {
    // The stream completes when the application shuts down. The module logs each event already
    // (context DinteroAuth, naming the account): count them here, do not log them again.
    this.tokens.events$.subscribe((event) => {
      this.events.inc({ type: event.type, code: event.type === 'refresh-failed' ? event.error.code : '' });
      if (event.type === 'acquired' || event.type === 'refreshed') this.expiry.set(event.expiresAt.getTime() / 1000);
    });
  }
}
