export { DINTERO_CLOCK } from '../module/injection-tokens.js';
export type { Clock, TimerHandle } from '../token/clock.js';
export { DinteroAuthTestingModule } from './dintero-auth-testing.module.js';
export type { DinteroAuthTestingOptions, TestTokenSource } from './dintero-auth-testing.module.js';
export { FakeDinteroServer } from './fake-dintero.server.js';
export { FAKE_DINTERO_CLIENT } from './fake-dintero.types.js';
export { FakeCheckout, FakeCheckoutError } from './fake-checkout.js';
export type {
  FakeAuthorizationOutcome,
  FakeCheckoutChange,
  FakeOperationItem,
  FakeOperationOptions,
  FakeOperationRequest,
  FakePaymentProductType,
  FakeSession,
  FakeTransaction,
  FakeTransactionStatus,
  Json,
  TransactionEvent,
} from './fake-checkout.js';
export type { FakeCallbackAttempt, FakeCallbackOptions, FakeCallbacks } from './fake-callbacks.js';
export type { FakeDeferOptions } from './fake-checkout-api.js';
export type {
  FakeApiRequest,
  FakeDinteroClient,
  FakeDinteroServerOptions,
  FakeTokenFault,
  FakeTokenRequest,
} from './fake-dintero.types.js';
export type { FakeTokenClaims } from './fake-jwt.js';
export { ManualClock } from './manual-clock.js';
