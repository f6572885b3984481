import type { FakeCheckoutChange } from './fake-checkout.js';

/** What Dintero reports of how a checkout ended: success, or why not. */
export interface FakeAuthorizationReport {
  readonly error?: 'cancelled' | 'authorization' | 'failed';
}

/**
 * What an authorization or a cancellation reports, the same for the session callback (its errors
 * only with `report_error=true`) and the `checkout_authorization` webhook: undefined when the
 * change reports nothing (an operation, or a payment still `INITIATED` or `UNKNOWN`).
 */
export function authorizationReport(change: FakeCheckoutChange): FakeAuthorizationReport | undefined {
  if (change.kind === 'cancellation') return { error: 'cancelled' };
  if (change.kind === 'operation') return undefined;
  switch (change.transaction.status) {
    case 'AUTHORIZED':
    case 'ON_HOLD':
      return {};
    case 'DECLINED':
      return { error: 'authorization' };
    case 'FAILED':
      return { error: 'failed' };
    default:
      return undefined;
  }
}
