/** Why a request was refused: the API answers with `status` in Dintero's error shape. */
export class FakeCheckoutError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
