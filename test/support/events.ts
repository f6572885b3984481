import { filter, firstValueFrom, type Observable } from 'rxjs';
import type { DinteroTokenEvent } from '../../lib/index.js';

type EventOf<T extends DinteroTokenEvent['type']> = Extract<DinteroTokenEvent, { type: T }>;

/** The next event of `type`; subscribe before the action that causes it. */
export function nextEvent<T extends DinteroTokenEvent['type']>(events$: Observable<DinteroTokenEvent>, type: T): Promise<EventOf<T>> {
  return firstValueFrom(events$.pipe(filter((event): event is EventOf<T> => event.type === type)));
}

/** Records every event from now on. */
export function recordEvents(events$: Observable<DinteroTokenEvent>): DinteroTokenEvent[] {
  const seen: DinteroTokenEvent[] = [];
  events$.subscribe((event) => seen.push(event));
  return seen;
}
