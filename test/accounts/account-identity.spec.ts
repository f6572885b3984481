import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeDinteroServer } from '../../lib/fake-dintero/index.js';
import { DinteroAuthConfigError } from '../../lib/index.js';
import { CredentialsTable, merchant, platformOptions, startAccountsApp, startPlatformFake, type AccountsApp } from './accounts-app.js';

const A = merchant(1);
const B = merchant(2);

describe('DinteroAccounts: an audience and a payment profile per account, from the resolver', () => {
  let fake: FakeDinteroServer;
  let app: AccountsApp;
  const table = new CredentialsTable([A, B]);

  beforeAll(async () => {
    fake = await startPlatformFake(3);
    app = await startAccountsApp(platformOptions(fake, table));
  });

  afterAll(async () => {
    await app.close();
    await fake.stop();
  });

  it("asks for the resolver's audience and hands back its profile id", async () => {
    const audience = `https://api.dintero.com/v1/accounts/${A.accountId}`;
    table.credentials.set(A.accountId, { clientId: A.clientId, clientSecret: A.clientSecret, audience, profileId: 'P00000001.shop' });
    const account = await app.accounts.get(A.accountId);
    expect(account.profileId).toBe('P00000001.shop');
    const claims = fake.verifyToken((await account.tokens.getToken()).accessToken) as { aud?: string } | undefined;
    expect(claims?.aud).toBe(audience);
  });

  it("refuses another account's audience, another host's and another scheme's, and never asks for a token with one", async () => {
    fake.resetCounts();
    for (const audience of [
      `https://api.dintero.com/v1/accounts/${A.accountId}`,
      'http://evil.test/',
      'javascript:alert(1)',
      `http://api.dintero.com/v1/accounts/${B.accountId}`,
    ]) {
      table.credentials.set(B.accountId, { clientId: B.clientId, clientSecret: B.clientSecret, audience });
      const error = await app.accounts.get(B.accountId).catch((caught: unknown) => caught);
      expect(error, audience).toBeInstanceOf(DinteroAuthConfigError);
      expect((error as DinteroAuthConfigError).issues.map((issue) => issue.path)).toEqual(['audience']);
      expect(String((error as Error).message)).not.toContain(B.clientSecret);
    }
    expect(fake.tokenRequestCount).toBe(0);
  });

  it('refuses a profile id that is not one', async () => {
    const id = merchant(0);
    table.credentials.set(id.accountId, { clientId: id.clientId, clientSecret: id.clientSecret, profileId: '../sessions' });
    const error = await app.accounts.get(id.accountId).catch((caught: unknown) => caught);
    expect((error as DinteroAuthConfigError).issues.map((issue) => issue.path)).toEqual(['profileId']);
  });

  it('gives an account without one no profile id, and the default audience', async () => {
    const id = merchant(0);
    table.credentials.set(id.accountId, { clientId: id.clientId, clientSecret: id.clientSecret });
    const account = await app.accounts.get(id.accountId);
    expect(account.profileId).toBeUndefined();
    const claims = fake.verifyToken((await account.tokens.getToken()).accessToken) as { aud?: string } | undefined;
    expect(claims?.aud).toBe(`https://api.dintero.com/v1/accounts/${id.accountId}`);
  });
});
