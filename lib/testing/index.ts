export { FakeDinteroServer } from './fake-dintero.server.js';
export { FAKE_DINTERO_CLIENT } from './fake-dintero.types.js';
export type {
  FakeDinteroClient,
  FakeDinteroServerOptions,
  FakeTokenFault,
  FakeTokenRequest,
} from './fake-dintero.types.js';
export type { FakeTokenClaims } from './fake-jwt.js';
