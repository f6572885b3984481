import { FAKE_DINTERO_CLIENT, type FakeDinteroServer } from '../../lib/fake-dintero/index.js';

/** An answer of the fake's API, as plain data. */
export interface Answer {
  readonly status: number;
  readonly body: any;
  readonly headers: Headers;
}

/** Talks to a fake's Checkout API with plain fetch and a token of its own, as Dintero's docs show it. */
export class FakeApi {
  private token: string | undefined;

  constructor(private readonly fake: FakeDinteroServer) {}

  async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    this.token ??= await this.fetchToken();
    const answer = await fetch(`${this.fake.baseUrl}${path}`, {
      method,
      headers: { Authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await answer.text();
    return { status: answer.status, body: text ? (JSON.parse(text) as unknown) : undefined, headers: answer.headers };
  }

  /** Creates a session from `body` and has the payer pay it: the transaction id. */
  async pay(body: Record<string, unknown>, options: Parameters<FakeDinteroServer['checkout']['authorize']>[1] = {}): Promise<string> {
    const created = await this.call('POST', '/sessions-profile', body);
    if (created.status !== 200) throw new Error(`session refused: ${JSON.stringify(created.body)}`);
    return this.fake.checkout.authorize((created.body as { id: string }).id, options).id;
  }

  private async fetchToken(): Promise<string> {
    const { accountId, clientId, clientSecret } = FAKE_DINTERO_CLIENT;
    const answer = await fetch(`${this.fake.baseUrl}/accounts/${accountId}/auth/token`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ grant_type: 'client_credentials', audience: `https://api.dintero.com/v1/accounts/${accountId}` }),
    });
    return ((await answer.json()) as { access_token: string }).access_token;
  }
}

/** A valid session body of two lines (6 000 + 4 000 NOK), with overrides. */
export function session(
  overrides: { order?: Record<string, unknown>; url?: Record<string, unknown>; [key: string]: unknown } = {},
): Record<string, unknown> {
  const { order, url, ...rest } = overrides;
  return {
    profile_id: 'default',
    url: { return_url: 'https://shop.example.com/return', ...url },
    order: {
      amount: 10_000,
      currency: 'NOK',
      merchant_reference: 'order-1',
      items: [
        { line_id: 'a', description: 'Socks', quantity: 2, amount: 6_000, vat: 25 },
        { line_id: 'b', description: 'Hat', quantity: 1, amount: 4_000, vat: 25 },
      ],
      ...order,
    },
    ...rest,
  };
}
