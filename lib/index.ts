export { DinteroAuthModule } from './module/dintero-auth.module.js';
export type {
  DinteroAuthModuleAsyncOptions,
  DinteroAuthModuleExtras,
  DinteroAuthModuleRegistration,
  DinteroAuthOptionsFactory,
} from './module/dintero-auth.module-definition.js';
export {
  InjectDinteroAuthInterceptor,
  InjectDinteroHttp,
  InjectDinteroTokens,
  getDinteroAuthInterceptorToken,
  getDinteroHttpServiceToken,
  getDinteroTokenServiceToken,
} from './module/injection-tokens.js';
export type { DinteroClientCredentials, DinteroCredentialsProvider } from './options/dintero-credentials.js';
export { type DinteroCredentialFiles, dinteroCredentialsFromFiles } from './options/credentials-from-files.js';
export type {
  DinteroAuthModuleOptions,
  DinteroRefreshOptions,
  DinteroRetryOptions,
  DinteroSignatureOptions,
} from './options/dintero-auth-options.js';
export { DINTERO_ENV_VARIABLES, dinteroOptionsFromEnv } from './options/options-from-env.js';
export { DinteroAuthError } from './errors/dintero-auth.error.js';
export { DinteroErrorCode } from './errors/dintero-error-code.js';
export { type DinteroAuthErrorByCode, isDinteroAuthError } from './errors/is-dintero-auth-error.js';
export { DinteroAuthConfigError, type DinteroAuthConfigIssue } from './errors/dintero-auth-config.error.js';
export { DinteroTokenRequestError, retryAfterMsOf } from './errors/dintero-token-request.error.js';
export { DinteroTokenNetworkError, type DinteroTokenNetworkFailure } from './errors/dintero-token-network.error.js';
export { DinteroTokenResponseError } from './errors/dintero-token-response.error.js';
export { DinteroCredentialsError, type DinteroCredentialsFailure } from './errors/dintero-credentials.error.js';
export {
  DinteroTokenUnavailableError,
  type DinteroTokenUnavailableReason,
  type DinteroTokenWaitContext,
} from './errors/dintero-token-unavailable.error.js';
export { DinteroAccessToken } from './token/access-token.js';
export { DinteroTokenService } from './token/dintero-token.service.js';
export type {
  DinteroCredentialsChangedEvent,
  DinteroCredentialsFailedEvent,
  DinteroTokenAcquiredEvent,
  DinteroTokenEvent,
  DinteroTokenExpiredEvent,
  DinteroTokenInvalidatedEvent,
  DinteroTokenRefreshedEvent,
  DinteroTokenRefreshFailedEvent,
  DinteroTokenStoreFailedEvent,
  DinteroTokenStoreKeyMismatchEvent,
  DinteroTokenStoreRecoveredEvent,
  DinteroTokenStoreDistrustedEvent,
} from './token/dintero-token.events.js';
export type { DinteroTokenStatus } from './token/dintero-token.status.js';
export { DinteroAuthInterceptor } from './http/dintero-auth.interceptor.js';
export { DinteroHttpService } from './http/dintero-http.service.js';
export { DinteroExceptionFilter } from './http/dintero-exception.filter.js';
export { type DinteroErrorResponse, dinteroErrorResponse } from './http/dintero-error-response.js';
export { RedactedRequest } from './http/redact-axios.js';
export type { AxiosInstanceLike } from './http/axios-instance-like.js';
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
} from './options/dintero-accounts-options.js';
export type {
  DinteroAccountCloseReason,
  DinteroAccountClosedEvent,
  DinteroAccountEvent,
  DinteroAccountOpenedEvent,
  DinteroAccountStatus,
  DinteroAccountTokenEvent,
} from './accounts/dintero-accounts.events.js';
export { DinteroAccountIdError } from './errors/dintero-account-id.error.js';
export { DinteroAccountNotFoundError } from './errors/dintero-account-not-found.error.js';
export { DinteroAccountResolveError, type DinteroAccountResolveFailure } from './errors/dintero-account-resolve.error.js';
export { DinteroSignatureError, type DinteroSignatureFailure } from './errors/dintero-signature.error.js';
export type { DinteroInboundRequest } from './inbound/inbound-request.js';
export type { DinteroSecretsSource } from './options/signature-secrets.js';
export {
  type DinteroCallbackVerifyOptions,
  type DinteroVerifiedCallback,
  verifyDinteroCallback,
} from './inbound/verify-dintero-callback.js';
export { type DinteroVerifiedWebhook, type DinteroWebhookVerifyOptions, verifyDinteroWebhook } from './inbound/verify-dintero-webhook.js';
export { DinteroCallbackGuard } from './inbound/dintero-callback.guard.js';
export { DinteroWebhookGuard } from './inbound/dintero-webhook.guard.js';
export { DinteroVerified } from './inbound/dintero-verified.decorator.js';
