import { firstValueFrom } from 'rxjs';
import type { FakeDinteroServer } from '../../lib/fake-dintero/index.js';
import type { DinteroHttpService } from '../../lib/index.js';

/** A valid `POST /sessions-profile` body for `amount` minor units of NOK. */
export function sessionBody(amount = 10_000): Record<string, unknown> {
  return {
    profile_id: 'default',
    url: { return_url: 'https://shop.example/return' },
    order: {
      amount,
      currency: 'NOK',
      merchant_reference: `order-${amount}`,
      items: [{ line_id: '1', id: 'sku-1', description: 'Socks', quantity: 1, amount, vat: 25, vat_amount: amount / 5 }],
    },
  };
}

/** Creates a session through the Dintero client and has the fake payer pay it: an AUTHORIZED transaction id. */
export async function authorizedTransaction(http: DinteroHttpService, fake: FakeDinteroServer, amount = 10_000): Promise<string> {
  const created = await firstValueFrom(http.post<{ id: string }>('/sessions-profile', sessionBody(amount)));
  return fake.checkout.authorize(created.data.id).id;
}
