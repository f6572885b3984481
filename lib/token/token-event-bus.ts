import { Subject } from 'rxjs';
import type { DinteroTokenEvent } from './dintero-token.events.js';

/** The one stream of token events of a module registration, written by the service and the token source. */
export class TokenEventBus {
  private readonly subject = new Subject<DinteroTokenEvent>();
  readonly events$ = this.subject.asObservable();

  emit(event: DinteroTokenEvent): void {
    if (!this.subject.closed) this.subject.next(event);
  }

  complete(): void {
    this.subject.complete();
  }
}
