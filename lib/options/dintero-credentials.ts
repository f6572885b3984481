/** A Dintero API client's id and secret, as a credentials provider gives them. */
export interface DinteroClientCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

/**
 * Reads the current client id and secret (mounted files, a secret manager). Called before the
 * first token request, again when Dintero answers `invalid_client`, and every
 * `credentialsRefreshIntervalMs` if set; it may throw or be slow, never for longer than
 * `requestTimeoutMs`, and the last credentials it gave stay in use meanwhile.
 */
export type DinteroCredentialsProvider = () => DinteroClientCredentials | Promise<DinteroClientCredentials>;
