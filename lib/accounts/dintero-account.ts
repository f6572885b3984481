import type { DinteroHttpService } from '../http/dintero-http.service.js';
import type { DinteroTokenService } from '../token/dintero-token.service.js';

/** One account of `DinteroAccounts`: its token service and its HTTP client, apart from every other account's. */
export interface DinteroAccount {
  readonly accountId: string;
  /** The payment profile the credentials resolver gave for this account, if it gave one. */
  readonly profileId: string | undefined;
  /** This account's tokens: `getToken()`, `peekToken()`, `refresh()`, `invalidate()`, `status()`, `events$`. */
  readonly tokens: DinteroTokenService;
  /** `HttpService` for Dintero's API, with this account's bearer token attached. */
  readonly http: DinteroHttpService;
}
