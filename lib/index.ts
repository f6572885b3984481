export { DinteroAuthModule } from './dintero-auth.module.js';
export {
  InjectDinteroHttp,
  InjectDinteroTokens,
  getDinteroHttpServiceToken,
  getDinteroTokenServiceToken,
} from './dintero-auth.names.js';
export type { DinteroAuthModuleExtras } from './dintero-auth.module-definition.js';
export {
  DINTERO_AUTH_ASYNC_OPTIONS_TYPE,
  DINTERO_AUTH_MODULE_OPTIONS,
  DINTERO_AUTH_OPTIONS_TYPE,
} from './dintero-auth.module-definition.js';
export {
  DEFAULT_BASE_URL,
  DINTERO_AUTH_CONFIG,
  DINTERO_CLOCK,
  DINTERO_ORIGINS,
  PACKAGE_NAME,
  PACKAGE_VERSION,
} from './dintero-auth.constants.js';
export type {
  DinteroAuthModuleOptions,
  DinteroRefreshOptions,
  DinteroRetryOptions,
} from './interfaces/dintero-auth-options.interface.js';
export type { DinteroAuthConfig, RefreshTiming, RetryTiming } from './options/dintero-auth.config.js';
export { ClientCredentials } from './options/client-credentials.js';
export { normalizeOptions } from './options/normalize-options.js';
export { DINTERO_ENV_VARIABLES, dinteroOptionsFromEnv } from './options/options-from-env.js';
export {
  DinteroAuthConfigError,
  DinteroAuthError,
  DinteroTokenNetworkError,
  DinteroTokenRequestError,
  DinteroTokenResponseError,
  DinteroTokenUnavailableError,
} from './errors/dintero-auth.errors.js';
export type {
  DinteroAuthConfigIssue,
  DinteroTokenNetworkFailure,
  DinteroTokenUnavailableReason,
} from './errors/dintero-auth.errors.js';
export { DinteroAccessToken } from './token/access-token.js';
export type { Clock, TimerHandle } from './token/clock.js';
export { DinteroTokenService } from './token/dintero-token.service.js';
export type {
  DinteroTokenAcquiredEvent,
  DinteroTokenEvent,
  DinteroTokenExpiredEvent,
  DinteroTokenInvalidatedEvent,
  DinteroTokenRefreshedEvent,
  DinteroTokenRefreshFailedEvent,
  DinteroTokenStoreFailedEvent,
  DinteroTokenStoreRecoveredEvent,
} from './token/dintero-token.events.js';
export type { DinteroTokenStatus } from './token/dintero-token.status.js';
export { DinteroAuthInterceptor } from './http/dintero-auth.interceptor.js';
export { DinteroHttpService } from './http/dintero-http.service.js';
export { RedactedRequest } from './http/redact-axios.js';
export type { DinteroTokenLease, DinteroTokenStore } from './store/dintero-token.store.js';
export { MemoryTokenStore } from './store/memory-token.store.js';
export { DinteroAccountsModule } from './accounts/dintero-accounts.module.js';
export { DinteroAccounts } from './accounts/dintero-accounts.js';
export type { DinteroAccount } from './accounts/dintero-account.js';
export { DINTERO_ACCOUNTS_MODULE_OPTIONS } from './accounts/dintero-accounts.module-definition.js';
export type { DinteroAccountsModuleExtras } from './accounts/dintero-accounts.module-definition.js';
export type {
  DinteroAccountCredentials,
  DinteroAccountsModuleOptions,
  DinteroCredentialsResolver,
  DinteroSharedAccountOptions,
} from './accounts/dintero-accounts.options.js';
export type {
  DinteroAccountCloseReason,
  DinteroAccountClosedEvent,
  DinteroAccountEvent,
  DinteroAccountOpenedEvent,
  DinteroAccountStatus,
  DinteroAccountTokenEvent,
} from './accounts/dintero-accounts.events.js';
export { DinteroAccountIdError, DinteroAccountNotFoundError, DinteroAccountResolveError } from './accounts/dintero-accounts.errors.js';
export type { DinteroAccountResolveFailure } from './accounts/dintero-accounts.errors.js';
