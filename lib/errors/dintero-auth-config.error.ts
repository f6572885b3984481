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

  /** {@link DinteroAuthConfigError.fromIssues} writes the usual message. */
  constructor(message: string, options: { issues: readonly DinteroAuthConfigIssue[]; cause?: unknown }) {
    super(message, options);
    this.issues = Object.freeze([...options.issues]);
  }

  /** The error naming every issue, one a line: `Invalid DinteroAuthModule options (2): ...`. */
  static fromIssues(issues: readonly DinteroAuthConfigIssue[]): DinteroAuthConfigError {
    const lines = issues.map((issue) => `  - ${issue.path}: ${issue.problem}`);
    return new DinteroAuthConfigError(`Invalid DinteroAuthModule options (${issues.length}):\n${lines.join('\n')}`, { issues });
  }
}
