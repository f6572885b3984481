import { DinteroAuthConfigError, type DinteroAuthConfigIssue } from '../errors/dintero-auth-config.error.js';
import type { DinteroAuthModuleOptions } from './dintero-auth-options.js';
import { normalizeOptions } from './normalize-options.js';

/** The environment variables {@link dinteroOptionsFromEnv} reads, by option. */
export const DINTERO_ENV_VARIABLES = Object.freeze({
  accountId: 'DINTERO_ACCOUNT_ID',
  clientId: 'DINTERO_CLIENT_ID',
  clientSecret: 'DINTERO_CLIENT_SECRET',
  audience: 'DINTERO_AUDIENCE',
  baseUrl: 'DINTERO_BASE_URL',
  allowInsecureLoopback: 'DINTERO_ALLOW_INSECURE_LOOPBACK',
} as const);

type EnvOption = keyof typeof DINTERO_ENV_VARIABLES;

const REQUIRED = ['accountId', 'clientId', 'clientSecret'] as const;
const TEXT = [...REQUIRED, 'audience', 'baseUrl'] as const;
const TRUE = new Set(['true', '1', 'yes']);
const FALSE = new Set(['false', '0', 'no']);

/**
 * Module options from environment variables: `DINTERO_ACCOUNT_ID`, `DINTERO_CLIENT_ID`,
 * `DINTERO_CLIENT_SECRET` (required), `DINTERO_AUDIENCE`, `DINTERO_BASE_URL` and
 * `DINTERO_ALLOW_INSECURE_LOOPBACK` (`true` or `false`) (optional). The options are validated
 * here, and a {@link DinteroAuthConfigError} names each bad or missing variable (never a
 * value of the secret). `overrides` add options that have no variable (timeouts,
 * `prefetch`, ...); problems with those are named by option. With a `credentials` provider
 * among them, `DINTERO_CLIENT_ID` and `DINTERO_CLIENT_SECRET` are neither needed nor read.
 */
export function dinteroOptionsFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
  overrides: Partial<DinteroAuthModuleOptions> = {},
): DinteroAuthModuleOptions {
  const issues: DinteroAuthConfigIssue[] = [];
  // A provider gives the client id and secret: variables holding them would be a second source.
  const fromProvider = (option: EnvOption) => overrides.credentials !== undefined && (option === 'clientId' || option === 'clientSecret');
  const read = (option: EnvOption) => (fromProvider(option) ? undefined : env[DINTERO_ENV_VARIABLES[option]]?.trim() || undefined);
  for (const option of REQUIRED) {
    if (fromProvider(option)) continue;
    if (!read(option)) issues.push({ path: DINTERO_ENV_VARIABLES[option], problem: `is not set (it gives the ${option} option)` });
  }
  const fromEnv: Partial<Record<EnvOption, string | boolean>> = {};
  for (const option of TEXT) {
    const value = read(option);
    if (value !== undefined) fromEnv[option] = value;
  }
  const loopback = read('allowInsecureLoopback')?.toLowerCase();
  if (loopback !== undefined && TRUE.has(loopback)) fromEnv.allowInsecureLoopback = true;
  else if (loopback !== undefined && !FALSE.has(loopback)) {
    issues.push({ path: DINTERO_ENV_VARIABLES.allowInsecureLoopback, problem: 'must be true or false' });
  }
  if (issues.length > 0) throw DinteroAuthConfigError.fromIssues(issues);

  const options = { ...fromEnv, ...overrides } as DinteroAuthModuleOptions;
  try {
    normalizeOptions(options);
  } catch (error) {
    if (!(error instanceof DinteroAuthConfigError)) throw error;
    throw DinteroAuthConfigError.fromIssues(error.issues.map((issue) => byVariable(issue, Object.keys(overrides))));
  }
  return options;
}

/** The issue as the environment's user sees it: under the variable that gave the option. */
function byVariable(issue: DinteroAuthConfigIssue, overridden: readonly string[]): DinteroAuthConfigIssue {
  const option = issue.path as EnvOption;
  const problem = issue.problem.replace('allowInsecureLoopback: true', `${DINTERO_ENV_VARIABLES.allowInsecureLoopback}=true`);
  if (!Object.hasOwn(DINTERO_ENV_VARIABLES, option) || overridden.includes(option)) return { path: issue.path, problem };
  return { path: DINTERO_ENV_VARIABLES[option], problem };
}
