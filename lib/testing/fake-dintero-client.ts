/** A Dintero API client a fake server knows. */
export interface FakeDinteroClient {
  readonly accountId: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/** The client a fake server accepts unless told otherwise. */
export const FAKE_DINTERO_CLIENT: FakeDinteroClient = Object.freeze({
  accountId: 'T12345678',
  clientId: 'fake-client-id',
  clientSecret: 'fake-client-secret-do-not-use',
});
