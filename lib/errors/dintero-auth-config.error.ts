import { DinteroAuthError } from './dintero-auth.error.js';
import { DinteroErrorCode } from './dintero-error-code.js';

/** One invalid module option: where it is and what is wrong with it. */
export interface DinteroAuthConfigIssue {
  /** Option path, e.g. `accountId` or `refresh.windowEnd`. */
  readonly path: string;
  /** Why it is invalid (never echoes a secret). */
  readonly problem: string;
}

/** The module's options are invalid; names every bad field at once. Thrown at start-up. */
export class DinteroAuthConfigError extends DinteroAuthError {
  readonly code = DinteroErrorCode.AUTH_CONFIG;
  readonly retryable = false;
  readonly issues: readonly DinteroAuthConfigIssue[];

  constructor(issues: readonly DinteroAuthConfigIssue[]) {
    const lines = issues.map((issue) => `  - ${issue.path}: ${issue.problem}`);
    super(`Invalid DinteroAuthModule options (${issues.length}):\n${lines.join('\n')}`);
    this.issues = Object.freeze([...issues]);
  }
}
