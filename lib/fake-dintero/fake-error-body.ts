/**
 * Dintero's error shape with no `code`: the spec documents no codes for these APIs, so the fake
 * says why in `message` only (apps should branch on the HTTP status).
 */
export function dinteroError(message: string): { error: { message: string } } {
  return { error: { message } };
}
