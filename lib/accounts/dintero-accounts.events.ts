import type { DinteroTokenEvent } from '../token/dintero-token.events.js';
import type { DinteroTokenStatus } from '../token/dintero-token.status.js';

/** A token event of one account: the single-account event, with the account it happened to. */
export type DinteroAccountTokenEvent = DinteroTokenEvent & { readonly accountId: string };

/** An account was opened: its credentials resolved and its token service made. */
export interface DinteroAccountOpenedEvent {
  readonly type: 'account-opened';
  readonly accountId: string;
}

/** Why an account was closed. */
export type DinteroAccountCloseReason = 'idle' | 'capacity' | 'forgotten';

/** An account was closed: its timers stopped, its token dropped from memory. */
export interface DinteroAccountClosedEvent {
  readonly type: 'account-closed';
  readonly accountId: string;
  readonly reason: DinteroAccountCloseReason;
}

/** Everything `DinteroAccounts.events$` reports; every event names its account, none holds a credential or token. */
export type DinteroAccountEvent = DinteroAccountTokenEvent | DinteroAccountOpenedEvent | DinteroAccountClosedEvent;

/** `DinteroTokenStatus` of one held account. */
export type DinteroAccountStatus = DinteroTokenStatus & { readonly accountId: string };
