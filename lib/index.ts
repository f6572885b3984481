export { DinteroAuthModule } from './dintero-auth.module.js';
export type {
  DinteroAuthModuleAsyncOptions,
  DinteroAuthModuleExtras,
  DinteroAuthModuleRegistration,
  DinteroAuthOptionsFactory,
} from './dintero-auth.module-definition.js';
export {
  InjectDinteroAuthInterceptor,
  InjectDinteroHttp,
  InjectDinteroTokens,
  getDinteroAuthInterceptorToken,
  getDinteroHttpServiceToken,
  getDinteroTokenServiceToken,
} from './dintero-auth.names.js';
export type { DinteroAuthModuleOptions, DinteroRefreshOptions, DinteroRetryOptions } from './interfaces/dintero-auth-options.interface.js';
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
  DinteroTokenWaitContext,
} from './errors/dintero-auth.errors.js';
export { DinteroAccessToken } from './token/access-token.js';
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
export type { AxiosInstanceLike } from './interfaces/axios-instance-like.interface.js';
export type { DinteroTokenLease, DinteroTokenStore } from './store/dintero-token.store.js';
export { MemoryTokenStore } from './store/memory-token.store.js';
export { DinteroAccountsModule } from './accounts/dintero-accounts.module.js';
export { DinteroAccounts } from './accounts/dintero-accounts.js';
export type { DinteroAccount } from './accounts/dintero-account.js';
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
