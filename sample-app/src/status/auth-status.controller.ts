import { type BeforeApplicationShutdown, Controller, Get, type MessageEvent, Sse } from '@nestjs/common';
import { DinteroTokenService } from 'nestjs-dintero-auth';
import { concat, defer, map, type Observable, of, Subject, takeUntil } from 'rxjs';
import { eventView, statusView } from './token-view.js';

/** Token health for operators and the shop page's panel: never the token, and never a token request of its own. */
@Controller('auth')
export class AuthStatusController implements BeforeApplicationShutdown {
  /** Ends every event stream before the HTTP server closes: an open page would otherwise hold shutdown forever. */
  private readonly closing$ = new Subject<void>();

  constructor(private readonly tokens: DinteroTokenService) {}

  async beforeApplicationShutdown(): Promise<void> {
    this.closing$.next();
    this.closing$.complete();
    // Until the ended responses are flushed, their sockets are not idle, and closing the server
    // would wait for its keep-alive timeout (5 s) to drop them.
    await new Promise((resolve) => setImmediate(resolve));
  }

  @Get('status')
  status() {
    return statusView(this.tokens.status(), new Date());
  }

  /**
   * Server-sent events: the status first (event `status`), then each token event as it happens
   * (event `token`). The page reads them with an EventSource, from a script file: the CSP allows no inline script.
   */
  @Sse('events')
  events(): Observable<MessageEvent> {
    return concat(
      defer(() => of({ type: 'status', data: statusView(this.tokens.status(), new Date()) })),
      this.tokens.events$.pipe(map((event) => ({ type: 'token', data: eventView(event, new Date()) }))),
    ).pipe(takeUntil(this.closing$));
  }
}
