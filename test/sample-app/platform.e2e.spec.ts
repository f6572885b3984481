import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { DinteroAccounts, DinteroTokenService } from '../../lib/index.js';
import { FAKE_PLATFORM_MERCHANTS, parseMerchants } from '../../sample-app/src/platform/merchants.js';
import { platformIsOn } from '../../sample-app/src/platform/platform.module.js';
import { DEMO_CART, payOnFakeCheckout, useSampleApp } from './sample-app.harness.js';

const sample = useSampleApp();
const [merchantA, merchantB] = FAKE_PLATFORM_MERCHANTS.map((merchant) => merchant.accountId) as [string, string];

/** A payment of the merchant, paid on the fake's hosted page: its transaction id. */
async function paidTransaction(accountId: string): Promise<string> {
  const created = await request(sample.server).post(`/platform/${accountId}/payments`).send(DEMO_CART).expect(201);
  const sent = sample.fake.apiRequests.find((entry) => entry.body.includes(created.body.merchantReference as string))!;
  const { tokens } = await sample.app.get(DinteroAccounts).get(accountId);
  expect(sent.headers.authorization).toBe(`Bearer ${tokens.peekToken()?.accessToken}`);
  const { returnUrl } = await payOnFakeCheckout(created.body.checkoutUrl as string, 'pay');
  expect(returnUrl.pathname).toBe(`/platform/${accountId}/payments/return`);
  return returnUrl.searchParams.get('transaction_id')!;
}

const tokenRequestsOf = (accountId: string) =>
  sample.fake.tokenRequests.filter((entry) => entry.path === `/v1/accounts/${accountId}/auth/token`);

describe('two merchants of a platform, chosen per request', () => {
  it('keeps their payments and tokens apart', async () => {
    const [transactionA, transactionB] = await Promise.all([paidTransaction(merchantA), paidTransaction(merchantB)]);

    const ownA = await request(sample.server).get(`/platform/${merchantA}/payments/${transactionA}`).expect(200);
    expect(ownA.body).toMatchObject({ transactionId: transactionA, status: 'AUTHORIZED', amount: DEMO_CART.amount });
    await request(sample.server).get(`/platform/${merchantB}/payments/${transactionB}`).expect(200);
    // The fake answers 404 to a transaction of another account: B's token cannot read A's payment.
    const crossed = await request(sample.server).get(`/platform/${merchantB}/payments/${transactionA}`).expect(404);
    expect(crossed.body.dintero).toMatchObject({ status: 404 });

    const [statusA, statusB] = await Promise.all(
      [merchantA, merchantB].map((accountId) => request(sample.server).get(`/platform/${accountId}/auth/status`).expect(200)),
    );
    expect(statusA!.body).toMatchObject({ accountId: merchantA, healthy: true, token: { fingerprint: expect.any(String) } });
    expect(statusB!.body).toMatchObject({ accountId: merchantB, healthy: true, token: { fingerprint: expect.any(String) } });
    expect(statusA!.body.token.fingerprint).not.toBe(statusB!.body.token.fingerprint);
    // The status shows a fingerprint, never a token the merchants' calls carried.
    const bearers = sample.fake.apiRequests.map((entry) => String(entry.headers.authorization).replace(/^Bearer /, ''));
    for (const bearer of bearers) expect(JSON.stringify([statusA!.body, statusB!.body])).not.toContain(bearer);

    expect(tokenRequestsOf(merchantA)).toHaveLength(1);
    expect(tokenRequestsOf(merchantB)).toHaveLength(1);
  });

  it('answers 404 for a merchant not on the platform, 400 for a bad account id or order, with nothing sent to Dintero', async () => {
    const before = sample.fake.tokenRequests.length;
    const unknown = await request(sample.server).post('/platform/T99999999/payments').send(DEMO_CART).expect(404);
    expect(unknown.body).toMatchObject({ code: 'DINTERO_ACCOUNT_NOT_FOUND', message: 'No merchant T99999999 on this platform' });
    await request(sample.server).get('/platform/T99999999/auth/status').expect(404);
    const bad = await request(sample.server).get('/platform/merchant-a/auth/status').expect(400);
    expect(bad.body).toMatchObject({ code: 'DINTERO_ACCOUNT_ID' });
    await request(sample.server).get(`/platform/${merchantA}/payments/not-a-transaction`).expect(400);
    const apiRequests = sample.fake.apiRequests.length;
    const mismatch = await request(sample.server)
      .post(`/platform/${merchantA}/payments`)
      .send({ ...DEMO_CART, amount: DEMO_CART.amount + 1 })
      .expect(400);
    expect(mismatch.body.message).toBe('items: line amounts add up to 34700, not to amount 34701');
    expect(sample.fake.apiRequests).toHaveLength(apiRequests);
    expect(sample.fake.tokenRequests).toHaveLength(before);
  });

  it('leaves the single-merchant flow on its own account', async () => {
    await request(sample.server).post('/payments').send(DEMO_CART).expect(201);
    const held = sample.app.get(DinteroTokenService).peekToken()!.accessToken;
    expect(sample.fake.apiRequests.at(-1)!.headers.authorization).toBe(`Bearer ${held}`);
  });
});

describe('the platform configuration', () => {
  const real = { DINTERO_ACCOUNT_ID: 'T12345678', DINTERO_CLIENT_ID: 'client', DINTERO_CLIENT_SECRET: 'secret' };

  it('mounts the platform routes with the fake, and with real Dintero only once PLATFORM_MERCHANTS is set', () => {
    expect(platformIsOn({})).toBe(true);
    expect(platformIsOn(real)).toBe(false);
    expect(platformIsOn({ ...real, PLATFORM_MERCHANTS: '[]' })).toBe(true);
  });

  it('reads PLATFORM_MERCHANTS, and refuses a bad table without echoing it', () => {
    const merchant = { accountId: 'T11111111', clientId: 'id', clientSecret: 'very-secret-value', profileId: 'T11111111.profile' };
    expect(parseMerchants(JSON.stringify([{ ...merchant, extra: 'dropped' }]))).toEqual([merchant]);
    for (const bad of ['{', '{}', JSON.stringify([{ ...merchant, profileId: '' }]), JSON.stringify([{ ...merchant, clientId: 1 }])]) {
      expect(() => parseMerchants(bad)).toThrow(/^PLATFORM_MERCHANTS must be a JSON array/);
    }
    expect(() => parseMerchants(JSON.stringify({ merchant }))).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('very-secret-value') }),
    );
  });
});
