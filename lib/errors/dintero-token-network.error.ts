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
  /** The code Node.js or axios gave the failure (`ECONNREFUSED`, `ENOTFOUND`, `ECONNABORTED`...), when there is one; never a made-up one. */
  readonly systemCode: string | undefined;
  /** The token URL asked (it never carries credentials), when known. */
  readonly url: string | undefined;

  /** `systemCode` only ever holds a code Node.js or axios reported; {@link systemCodeNote} explains one in a message. */
  constructor(
    message: string,
    options: { failure: DinteroTokenNetworkFailure; systemCode?: string | undefined; url?: string | undefined; cause?: unknown },
  ) {
    super(message, options);
    this.failure = options.failure;
    this.systemCode = options.systemCode;
    this.url = options.url;
  }
}

/**
 * A system error code for a message, with what to check when a misconfiguration usually causes
 * it: ` (ECONNREFUSED: nothing listens there: ...)`, ` (EPIPE)`, or nothing without a code.
 */
export function systemCodeNote(systemCode: string | undefined): string {
  if (!systemCode) return '';
  const hint = SYSTEM_CODE_HINTS[systemCode];
  return ` (${systemCode}${hint ? `: ${hint}` : ''})`;
}
