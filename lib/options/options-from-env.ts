import { DinteroAuthConfigError, type DinteroAuthConfigIssue } from '../errors/dintero-auth.errors.js';
import type { DinteroAuthModuleOptions } from '../interfaces/dintero-auth-options.interface.js';

/** The environment variables {@link dinteroOptionsFromEnv} reads, by option. */
export const DINTERO_ENV_VARIABLES = Object.freeze({
  accountId: 'DINTERO_ACCOUNT_ID',
  clientId: 'DINTERO_CLIENT_ID',
  clientSecret: 'DINTERO_CLIENT_SECRET',
  audience: 'DINTERO_AUDIENCE',
  baseUrl: 'DINTERO_BASE_URL',
} as const);

const REQUIRED = ['accountId', 'clientId', 'clientSecret'] as const;

/**
 * Module options from environment variables: `DINTERO_ACCOUNT_ID`, `DINTERO_CLIENT_ID`,
 * `DINTERO_CLIENT_SECRET` (required), `DINTERO_AUDIENCE`, `DINTERO_BASE_URL` (optional).
 * A missing required variable is named in a {@link DinteroAuthConfigError}. `overrides` add
 * options that have no variable (timeouts, `prefetch`, ...).
 */
export function dinteroOptionsFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
  overrides: Partial<DinteroAuthModuleOptions> = {},
): DinteroAuthModuleOptions {
  const issues: DinteroAuthConfigIssue[] = [];
  for (const option of REQUIRED) {
    const name = DINTERO_ENV_VARIABLES[option];
    if (!env[name]?.trim()) issues.push({ path: name, problem: `is not set (it gives the ${option} option)` });
  }
  if (issues.length > 0) throw new DinteroAuthConfigError(issues);
  const optional = (name: string) => (env[name]?.trim() ? env[name].trim() : undefined);
  const audience = optional(DINTERO_ENV_VARIABLES.audience);
  const baseUrl = optional(DINTERO_ENV_VARIABLES.baseUrl);
  return {
    accountId: env[DINTERO_ENV_VARIABLES.accountId]!.trim(),
    clientId: env[DINTERO_ENV_VARIABLES.clientId]!.trim(),
    clientSecret: env[DINTERO_ENV_VARIABLES.clientSecret]!.trim(),
    ...(audience ? { audience } : {}),
    ...(baseUrl ? { baseUrl } : {}),
    ...overrides,
  };
}
