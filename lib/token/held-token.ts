import { BehaviorSubject, type Observable, filter } from 'rxjs';
import type { DinteroAccessToken } from './access-token.js';
import { Alarm } from './alarm.js';
import type { Clock } from './clock.js';

/**
 * The token the service holds, with the two alarms of its life: its refresh point and its
 * usable-until time. It is handed out only while usable; letting it go clears its alarms.
 */
export class HeldToken {
  /** Each usable token as it is held, the current one replayed to a new subscriber; completes at close(). */
  readonly usable$: Observable<DinteroAccessToken>;
  private readonly subject = new BehaviorSubject<DinteroAccessToken | undefined>(undefined);
  private readonly refreshAlarm: Alarm;
  private readonly expiryAlarm: Alarm;

  constructor(
    private readonly clock: Clock,
    onRefreshDue: () => void,
    onUsableUntil: () => void,
  ) {
    this.refreshAlarm = new Alarm(clock, onRefreshDue);
    this.expiryAlarm = new Alarm(clock, onUsableUntil);
    this.usable$ = this.subject.pipe(filter((token): token is DinteroAccessToken => token !== undefined && this.isUsable(token)));
  }

  /** The token held, usable or not. */
  get current(): DinteroAccessToken | undefined {
    return this.subject.value;
  }

  /** The token held if it is still usable. No side effects: safe from anywhere. */
  usable(): DinteroAccessToken | undefined {
    const token = this.subject.value;
    return token && this.isUsable(token) ? token : undefined;
  }

  /** The token held if it is past its usable-until time (the expiry alarm rang late, or not yet). */
  stale(): DinteroAccessToken | undefined {
    const token = this.subject.value;
    return token && !this.isUsable(token) ? token : undefined;
  }

  /** Holds `token` in place of any other; its refresh alarm is set only with `refreshAhead`. */
  hold(token: DinteroAccessToken, refreshAhead: boolean): void {
    this.refreshAlarm.clear();
    if (refreshAhead) this.refreshAlarm.set(token.timeline.refreshAt);
    this.expiryAlarm.set(token.timeline.usableUntil);
    this.subject.next(token);
  }

  /** Lets `token` go, with its alarms, if it is the one held. */
  drop(token: DinteroAccessToken): void {
    if (this.subject.value !== token) return;
    this.refreshAlarm.clear();
    this.expiryAlarm.clear();
    this.subject.next(undefined);
  }

  /** No more refresh-ahead for the token held (a new one is held without it). */
  stopRefreshing(): void {
    this.refreshAlarm.clear();
  }

  close(): void {
    this.refreshAlarm.clear();
    this.expiryAlarm.clear();
    this.subject.complete();
  }

  private isUsable(token: DinteroAccessToken): boolean {
    return this.clock.now() < token.timeline.usableUntil;
  }
}
