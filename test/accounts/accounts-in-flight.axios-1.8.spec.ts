/**
 * On axios 1.8 (the floor of the peer range), a call that fails before it is sent (a signal
 * already aborted, a body its transform cannot serialize, such as a BigInt) must still be counted out: there, a
 * throw on the synchronous request path skips every response handler.
 */
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { FakeDinteroServer } from '../../lib/fake-dintero/index.js';
import { CredentialsTable, merchant, platformOptions, startAccountsApp, startPlatformFake, type AccountsApp } from './accounts-app.js';

vi.mock('axios', async () => await import('axios-1.8'));

const A = merchant(0);
let fake: FakeDinteroServer;
let app: AccountsApp;

beforeAll(async () => {
  fake = await startPlatformFake(1);
  app = await startAccountsApp(platformOptions(fake, new CredentialsTable([A])));
});
afterAll(async () => {
  await app.close();
  await fake.stop();
});

it('calls that fail before they are sent leave no call counted: the account can still be forgotten', async () => {
  const { default: axios } = await import('axios');
  expect(axios.VERSION).toMatch(/^1\.8\./);
  const account = await app.accounts.get(A.accountId);
  const aborted = account.http.axiosRef.get(`${fake.baseUrl}/transactions`, { signal: AbortSignal.abort() });
  await expect(aborted).rejects.toThrow();
  await expect(account.http.axiosRef.post(`${fake.baseUrl}/transactions`, { amount: 10n })).rejects.toThrow(/BigInt/);
  // forget() waits for the calls in flight: a call never counted out would hold it for ever.
  await expect(app.accounts.forget(A.accountId)).resolves.toBe(true);
});
