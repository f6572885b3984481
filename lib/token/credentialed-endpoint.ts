import { DinteroTokenRequestError } from '../errors/dintero-token-request.error.js';
import type { TokenGrant } from './access-token.js';
import type { CredentialsKeeper } from './credentials-keeper.js';
import type { TokenEndpoint } from './token-endpoint.client.js';

/** Token requests with whatever credentials are current: what a token source asks. */
export interface CredentialedEndpoint {
  /** Requests a token; rejects only with a `DinteroAuthError`. */
  requestToken(signal: AbortSignal): Promise<TokenGrant>;
}

/** Whether Dintero refused the client credentials themselves (`invalid_client`, as a 400 or a 401). */
export function isCredentialsRefusal(error: unknown): boolean {
  if (!(error instanceof DinteroTokenRequestError)) return false;
  return error.status === 401 || (error.status === 400 && error.dinteroCode === 'invalid_client');
}

/**
 * Sends the current credentials; when Dintero refuses them, reads them again and, if they
 * changed, tries once more at once: a rotated secret costs no failed request.
 */
export function credentialedEndpoint(endpoint: TokenEndpoint, credentials: CredentialsKeeper): CredentialedEndpoint {
  return {
    async requestToken(signal) {
      const sent = await credentials.get();
      try {
        return await endpoint.requestToken(signal, sent);
      } catch (error) {
        if (!isCredentialsRefusal(error) || signal.aborted) throw error;
        const next = await credentials.afterRefusal(sent);
        if (!next) throw error;
        return endpoint.requestToken(signal, next);
      }
    },
  };
}
