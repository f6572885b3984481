/** Dintero settings the sample app reads from the environment. */
export interface DinteroEnvironment {
  readonly accountId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly baseUrl?: string;
}

/** The real-Dintero settings, or undefined when no credentials are set (the fake is used). */
export function readDinteroEnvironment(env: NodeJS.ProcessEnv): DinteroEnvironment | undefined {
  const { DINTERO_ACCOUNT_ID, DINTERO_CLIENT_ID, DINTERO_CLIENT_SECRET, DINTERO_BASE_URL } = env;
  if (!DINTERO_ACCOUNT_ID && !DINTERO_CLIENT_ID && !DINTERO_CLIENT_SECRET) return undefined;
  // Partial credentials are passed on as they are: the module's config error names what is missing.
  return {
    accountId: DINTERO_ACCOUNT_ID ?? '',
    clientId: DINTERO_CLIENT_ID ?? '',
    clientSecret: DINTERO_CLIENT_SECRET ?? '',
    ...(DINTERO_BASE_URL ? { baseUrl: DINTERO_BASE_URL } : {}),
  };
}
