/**
 * The errors of calls that went to an allowed Dintero origin, so that an answer from Dintero can
 * be told from any other axios error (`DinteroExceptionFilter` passes on only Dintero's). Kept
 * beside the error rather than on it: nothing new to walk, print or serialize.
 */
const fromDintero = new WeakSet<object>();

/** Records that `error` is the failure of a call to Dintero; returns it. */
export function markDinteroCallError<E>(error: E): E {
  if (typeof error === 'object' && error !== null) fromDintero.add(error);
  return error;
}

/** Whether `error` is the failure of a call this module sent to an allowed Dintero origin. */
export function isDinteroCallError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && fromDintero.has(error);
}
