export { DINTERO_CLOCK } from '../options/dintero-auth.constants.js';
export type { Clock, TimerHandle } from '../token/clock.js';
export { DinteroAuthTestingModule } from './dintero-auth-testing.module.js';
export type { DinteroAuthTestingOptions, TestTokenSource } from './dintero-auth-testing.module.js';
export { FAKE_DINTERO_CLIENT } from './fake-dintero-client.js';
export type { FakeDinteroClient } from './fake-dintero-client.js';
export type { FakeTokenClaims } from './fake-jwt.js';
export type { FakeTokenFault, FakeTokenRequest } from './fake-token-endpoint.js';
export { ManualClock } from './manual-clock.js';
