/**
 * Why a request was refused: the API answers with `status` and Dintero's error shape,
 * `{"error": {"message"}}`. No `code`: Dintero documents none for the Checkout API (only
 * `mfa_required`, on the token endpoint), so the fake invents none for an app to branch on.
 */
export class FakeCheckoutError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
