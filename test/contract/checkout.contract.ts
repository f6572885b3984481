import axios, { AxiosError } from 'axios';
import type { Server } from 'node:http';
import request from 'supertest';
import { firstValueFrom } from 'rxjs';
import { expect, it } from 'vitest';
import type { DinteroHttpService } from '../../lib/index.js';
import { callbackUrl, SESSION_HEADERS, sessionRequest } from '../../sample-app/src/payments/checkout-session.js';
import type { CreatePaymentDto } from '../../sample-app/src/payments/dto/create-payment.dto.js';

/** What the contract runs against: Dintero's test environment, or the fake. */
export interface ContractTarget {
  readonly http: DinteroHttpService;
  readonly baseUrl: string;
  readonly accountId: string;
  readonly profileId: string;
  /** The sample app, configured for the same Dintero. */
  readonly sample: Server;
}

const cart: CreatePaymentDto = {
  amount: 34_700,
  currency: 'NOK',
  items: [
    { description: 'Wool socks', quantity: 2, amount: 29_800, vat: 25 },
    { description: 'Gift wrapping', quantity: 1, amount: 4_900, vat: 25 },
  ],
};
const urls = { returnUrl: 'https://shop.example.com/payments/return', callbackUrl: callbackUrl('https://shop.example.com') };

/** Dintero's `Error` shape, the only one its spec gives for every failure. */
const errorShape = { error: { message: expect.any(String) } };

async function failure(request: Promise<unknown>): Promise<{ status: number | undefined; data: unknown }> {
  const error = await request.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof AxiosError)) throw new Error(`expected Dintero to refuse the request, got ${String(error)}`);
  return { status: error.response?.status, data: error.response?.data };
}

/**
 * The sample app's flow, as far as it goes without a payer: session (with expires_at, an http
 * callback_url, a profile the account lacks), session read and cancel, the transaction list,
 * operations on an unknown transaction, and the error shapes. The same assertions run against the fake (in `npm test`) and
 * against Dintero's test environment (`npm run test:contract`): where they disagree, the fake is wrong.
 */
export function checkoutContract(target: () => ContractTarget): void {
  const reference = () => `contract-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const post = (body: unknown, headers: Record<string, string> = SESSION_HEADERS) =>
    firstValueFrom(target().http.post<{ id: string; url: string }>('/sessions-profile', body, { headers }));

  it("creates the sample app's session (strict-session-amounts), then reads it back", async () => {
    const { http, accountId, profileId } = target();
    const merchantReference = reference();
    const created = await post(sessionRequest(cart, merchantReference, profileId, urls));
    expect(created.status).toBe(200);
    expect(created.data.id.startsWith(`${accountId}.`)).toBe(true);
    expect(() => new URL(created.data.url)).not.toThrow();

    const { data: session } = await firstValueFrom(http.get<Record<string, any>>(`/sessions/${created.data.id}`));
    expect(session).toMatchObject({
      id: created.data.id,
      url: { return_url: urls.returnUrl, callback_url: urls.callbackUrl },
      order: { amount: 34_700, currency: 'NOK', merchant_reference: merchantReference },
    });
    expect(session.order.items.map((item: { line_id: string }) => item.line_id)).toEqual(['1', '2']);
    expect(session.transaction_id).toBeUndefined();
    expect(session.cancelled_at).toBeUndefined();
  });

  it('with strict-session-amounts, an amount that is not the sum of the lines is a 400', async () => {
    const body = sessionRequest(cart, reference(), target().profileId, urls) as { order: Record<string, unknown> };
    const answer = await failure(post({ ...body, order: { ...body.order, amount: 34_701 } }));
    expect(answer).toMatchObject({ status: 400, data: errorShape });
  });

  it('a currency that is not ISO 4217 is a 400', async () => {
    const body = sessionRequest({ ...cart, currency: 'XYZ' }, reference(), target().profileId, urls);
    expect(await failure(post(body))).toMatchObject({ status: 400, data: errorShape });
  });

  it('a session without profile_id is a 400', async () => {
    const body = sessionRequest(cart, reference(), target().profileId, urls);
    delete body.profile_id;
    expect(await failure(post(body))).toMatchObject({ status: 400, data: errorShape });
  });

  it('an unknown session or transaction is a 404, capture of one too', async () => {
    const { http, accountId } = target();
    expect(await failure(firstValueFrom(http.get(`/sessions/${accountId}.contractunknown`)))).toMatchObject({
      status: 404,
      data: errorShape,
    });
    expect(await failure(firstValueFrom(http.get(`/transactions/${accountId}.contractunknown`)))).toMatchObject({
      status: 404,
      data: errorShape,
    });
    const capture = firstValueFrom(http.post(`/transactions/${accountId}.contractunknown/capture`, { amount: 100 }));
    expect(await failure(capture)).toMatchObject({ status: 404, data: errorShape });
  });

  it('the sample app creates a payment there, and shows an unknown transaction as a 404', async () => {
    const { sample, accountId } = target();
    const created = await request(sample).post('/payments').send(cart).expect(201);
    expect((created.body as { sessionId: string }).sessionId.startsWith(`${accountId}.`)).toBe(true);
    expect(() => new URL((created.body as { checkoutUrl: string }).checkoutUrl)).not.toThrow();
    const unknown = await request(sample).get(`/payments/${accountId}.contractunknown`).expect(404);
    expect(unknown.body).toMatchObject({ statusCode: 404, dintero: { status: 404 } });
    const page = await request(sample).get(`/payments/return?transaction_id=${accountId}.contractunknown`).expect(404);
    expect(page.text).toContain(`Dintero knows no transaction ${accountId}.contractunknown.`);
  });

  it('a session keeps the expires_at it was given; the sample sends one and records the order as CREATED until then', async () => {
    const { http, profileId, sample } = target();
    const expiresAt = new Date(Date.now() + 3_600_000);
    const created = await post(sessionRequest(cart, reference(), profileId, urls, expiresAt));
    const { data: session } = await firstValueFrom(http.get<{ expires_at: string }>(`/sessions/${created.data.id}`));
    expect(Date.parse(session.expires_at)).toBe(expiresAt.getTime());

    const payment = await request(sample).post('/payments').send(cart).expect(201);
    const order = await request(sample)
      .get(`/payments/orders/${(payment.body as { merchantReference: string }).merchantReference}`)
      .expect(200);
    expect(order.body).toMatchObject({ status: 'CREATED', sessionId: (payment.body as { sessionId: string }).sessionId });
    // The sample's expiry is its own choice: 30 minutes on.
    const ahead = Date.parse((order.body as { expiresAt: string }).expiresAt) - Date.now();
    expect(ahead).toBeGreaterThan(25 * 60_000);
    expect(ahead).toBeLessThanOrEqual(30 * 60_000);
  });

  it('an http:// callback_url is accepted (Dintero calls back https only)', async () => {
    const body = sessionRequest(cart, reference(), target().profileId, {
      ...urls,
      callbackUrl: 'http://shop.example.com/payments/callback',
    });
    expect((await post(body)).status).toBe(200);
  });

  it('a session the merchant cancels is cancelled, and reads so', async () => {
    const { http, profileId } = target();
    const created = await post(sessionRequest(cart, reference(), profileId, urls));
    const cancelled = await firstValueFrom(http.post<{ id: string; cancelled_at?: string }>(`/sessions/${created.data.id}/cancel`));
    expect(cancelled.status).toBe(200);
    expect(cancelled.data.id).toBe(created.data.id);
    const { data: session } = await firstValueFrom(http.get<{ cancelled_at?: string }>(`/sessions/${created.data.id}`));
    expect(typeof session.cancelled_at).toBe('string');
  });

  it('the transaction list filters by merchant_reference: none for an order nobody paid', async () => {
    const { http } = target();
    const answer = await firstValueFrom(http.get<unknown[]>('/transactions', { params: { merchant_reference: reference() } }));
    expect(answer.status).toBe(200);
    expect(answer.data).toEqual([]);
  });

  it('refund, void and extend_authorization of an unknown transaction are 404s', async () => {
    const { http, accountId } = target();
    const unknown = `${accountId}.contractunknown`;
    for (const call of [
      http.post(`/transactions/${unknown}/refund`, { amount: 100 }),
      http.post(`/transactions/${unknown}/void`),
      http.post(`/transactions/${unknown}/extend_authorization`),
    ]) {
      expect(await failure(firstValueFrom(call))).toMatchObject({ status: 404, data: errorShape });
    }
  });

  it('a profile_id the account does not have is refused with a 4xx', async () => {
    const body = sessionRequest(cart, reference(), 'contract-no-such-profile', urls);
    const answer = await failure(post(body));
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(answer.data).toMatchObject(errorShape);
  });

  it("the sample app refuses an id that is not Dintero's before asking Dintero", async () => {
    const { sample } = target();
    const answer = await request(sample).get('/payments/%2E').expect(400);
    expect(answer.body.message).toBe('transactionId: not a Dintero transaction id');
  });

  it('no bearer token is a 401', async () => {
    const { baseUrl, accountId } = target();
    const answer = await failure(axios.get(`${baseUrl}/transactions/${accountId}.contractunknown`));
    expect(answer).toMatchObject({ status: 401, data: errorShape });
  });
}
