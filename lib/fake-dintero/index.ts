export { FakeDinteroServer } from './fake-dintero.server.js';
export type { FakeDinteroServerOptions } from './fake-dintero.server.js';
export { FAKE_PROFILE_ID } from './fake-dintero.server.js';
export type { FakeApiRequest } from './fake-api-request-log.js';
export type { FakeCallbackAttempt, FakeCallbackOptions, FakeCallbacks } from './fake-callbacks.js';
export { FakeCheckout } from './fake-checkout.js';
export type {
  FakeAuthorizationOutcome,
  FakeCheckoutChange,
  FakeCheckoutOptions,
  FakeOperationOptions,
  FakeOperationRequest,
} from './fake-checkout.js';
export { FakeCheckoutError } from './fake-checkout.error.js';
export type { FakeDeferOptions } from './fake-checkout-api.js';
export type { FakeJson, FakeSession } from './fake-session.js';
export { FakeWebhooks } from './fake-webhooks.js';
export type { FakeSubscriptionRequest, FakeWebhookAttempt, FakeWebhookOptions, FakeWebhookSubscription } from './fake-webhooks.js';
export type {
  FakeOperationItem,
  FakePaymentProductType,
  FakeTransaction,
  FakeTransactionEvent,
  FakeTransactionEventName,
  FakeTransactionStatus,
} from './fake-transaction.js';
export { FAKE_PAYMENT_PRODUCT_TYPES } from './fake-transaction.js';
// FakeDinteroServer is built on the token server of nestjs-dintero-auth/testing: its names, for the API above.
export { FAKE_DINTERO_CLIENT } from '../testing/fake-dintero-client.js';
export type { FakeDinteroClient } from '../testing/fake-dintero-client.js';
export type { FakeTokenClaims } from '../testing/fake-jwt.js';
export type { FakeTokenFault, FakeTokenRequest } from '../testing/fake-token-endpoint.js';
export { FakeTokenServer } from '../testing/fake-token.server.js';
export type { FakeTokenServerOptions } from '../testing/fake-token.server.js';
