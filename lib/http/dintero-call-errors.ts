/**
 * The errors of calls that went to an allowed Dintero origin, with the account they were made
 * for, so that an answer from Dintero can be told from any other axios error
 * (`DinteroExceptionFilter` passes on only Dintero's). Kept beside the error rather than on it:
 * nothing new to walk, print or serialize.
 */
const fromDintero = new WeakMap<object, string>();

/** Records that `error` is the failure of a call to Dintero for `accountId`; returns it. */
export function markDinteroCallError<E>(error: E, accountId: string): E {
  if (typeof error === 'object' && error !== null) fromDintero.set(error, accountId);
  return error;
}

/** The account of the call to Dintero that failed with `error`, or undefined when it was no such call. */
export function dinteroCallAccountOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? fromDintero.get(error) : undefined;
}
