import { DinteroAuthError } from './dintero-auth.error.js';
import { DinteroErrorCode } from './dintero-error-code.js';

/** Why a token request got no answer. */
export type DinteroTokenNetworkFailure = 'timeout' | 'connection' | 'aborted';

/** What to check, for the system errors a misconfiguration usually causes. */
const SYSTEM_CODE_HINTS: Readonly<Record<string, string>> = {
  ENOTFOUND: 'the host name does not resolve: check baseUrl and DNS',
  EAI_AGAIN: 'DNS did not answer: check DNS',
  ECONNREFUSED: 'nothing listens there: check baseUrl and that the endpoint is up',
  ECONNRESET: 'the connection was reset: a proxy or firewall may be in the way',
  CERT_HAS_EXPIRED: 'the TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the TLS certificate is self-signed',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the TLS certificate chain is incomplete',
};

/** The token request got no HTTP answer: timeout, refused or reset connection, DNS, TLS. */
export class DinteroTokenNetworkError extends DinteroAuthError {
  readonly code = DinteroErrorCode.TOKEN_NETWORK;
  readonly retryable = true;
  readonly failure: DinteroTokenNetworkFailure;
  /** The system error code, e.g. `ECONNREFUSED`, when there is one. */
  readonly systemCode: string | undefined;
  /** The token URL asked (it never carries credentials), when known. */
  readonly url: string | undefined;

  /** `detail` says more about a timeout, e.g. which deadline ran out. */
  constructor(failure: DinteroTokenNetworkFailure, systemCode?: string, url?: string, detail?: string) {
    const hint = systemCode && SYSTEM_CODE_HINTS[systemCode] ? `: ${SYSTEM_CODE_HINTS[systemCode]}` : '';
    const what = systemCode ? ` (${systemCode}${hint})` : '';
    const more = detail ? `: ${detail}` : '';
    super(`Dintero token request${url ? ` to ${url}` : ''} failed: ${failure}${what}${more}`);
    this.failure = failure;
    this.systemCode = systemCode;
    this.url = url;
  }
}
