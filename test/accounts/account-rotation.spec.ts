import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeDinteroServer } from '../../lib/fake-dintero/index.js';
import type { DinteroTokenEvent } from '../../lib/index.js';
import { ManualClock } from '../../lib/testing/index.js';
import { eventually } from '../support/token-app.js';
import { CredentialsTable, merchant, platformOptions, startAccountsApp, startPlatformFake, type AccountsApp } from './accounts-app.js';

// An account's client secret rotated at the source (the resolver's table) while the account is
// open: Dintero's refusal asks the resolver again, and no call fails.

const A = merchant(1);
const NEW_SECRET = `rotated-${A.clientSecret}`;

describe('DinteroAccounts: a client secret rotated while the account is open', () => {
  let fake: FakeDinteroServer;
  let app: AccountsApp;
  const table = new CredentialsTable([A]);
  const clock = new ManualClock();

  beforeAll(async () => {
    fake = await startPlatformFake(2);
    app = await startAccountsApp(platformOptions(fake, table), clock);
  });

  afterAll(async () => {
    await app.close();
    await fake.stop();
  });

  it('revoked first (its tokens too): the next call is answered, after one more question to the resolver', async () => {
    const account = await app.accounts.get(A.accountId);
    const events: DinteroTokenEvent[] = [];
    account.tokens.events$.subscribe((event) => events.push(event));
    expect((await account.http.axiosRef.get(`${fake.baseUrl}/transactions`)).status).toBe(200);
    expect(table.callsFor(A.accountId)).toBe(1);

    fake.addClientSecret(A.clientId, NEW_SECRET);
    fake.revokeClientSecret(A.clientId, A.clientSecret, { revokeTokens: true });
    table.credentials.set(A.accountId, { clientId: A.clientId, clientSecret: NEW_SECRET });

    // The token in hand is refused (401; it is old enough for a 401 to count), the old secret
    // too (invalid_client): the resolver gives the new one, and the call is sent again once.
    clock.advance(6_000);
    expect((await account.http.axiosRef.get(`${fake.baseUrl}/transactions`)).status).toBe(200);
    expect(table.callsFor(A.accountId)).toBe(2);
    expect(events.filter((event) => event.type === 'credentials-changed')).toHaveLength(1);
    expect(events.some((event) => event.type === 'refresh-failed')).toBe(false);
    expect(account.tokens.status().credentialsReadAt).toBeInstanceOf(Date);
  });

  it('a resolver that no longer knows the account keeps the last credentials: the refusal is the error', async () => {
    const account = await app.accounts.get(A.accountId);
    fake.revokeClientSecret(A.clientId, NEW_SECRET, { revokeTokens: true });
    table.credentials.delete(A.accountId);
    clock.advance(6_000);
    const failed = await account.http.axiosRef.get(`${fake.baseUrl}/transactions`).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(Error);
    expect(JSON.stringify(failed)).not.toContain(NEW_SECRET);
  });

  it('asking the resolver again for an open account does not count as opening one (maxAccounts)', async () => {
    const B = merchant(0);
    const clock = new ManualClock();
    const table = new CredentialsTable([A, B]);
    const own = await startPlatformFake(2);
    const bounded = await startAccountsApp(platformOptions(own, table, { maxAccounts: 1 }), clock);
    try {
      const account = await bounded.accounts.get(A.accountId);
      await account.tokens.getToken();
      // The account's token refused, then its secret: the resolver is asked again, and takes its time.
      let asked = false;
      table.answer = (accountId) =>
        accountId === A.accountId ? ((asked = true), new Promise(() => undefined)) : Promise.resolve(table.credentials.get(accountId));
      own.revokeClientSecret(A.clientId, A.clientSecret, { revokeTokens: true });
      clock.advance(6_000);
      const call = account.http.axiosRef.get(`${own.baseUrl}/transactions`).catch((error: unknown) => error);
      await eventually(() => asked, 5_000, 'the resolver to be asked again');
      await expect(bounded.accounts.get(B.accountId)).resolves.toMatchObject({ accountId: B.accountId });
      clock.advance(60_000);
      await call;
    } finally {
      await bounded.close();
      await own.stop();
    }
  });
});
