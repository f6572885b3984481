import { Injectable } from '@nestjs/common';
import { DinteroHttpService } from 'nestjs-dintero-auth';
import { firstValueFrom } from 'rxjs';

interface Session {
  id: string;
  url: string;
}

@Injectable()
export class PaymentsService {
  constructor(private readonly dintero: DinteroHttpService) {}

  /** A Checkout session for `amount` minor units; send the payer to its `url`. */
  async createSession(amount: number, currency: string, reference: string): Promise<Session> {
    const { data } = await firstValueFrom(
      this.dintero.post<Session>('/sessions-profile', {
        profile_id: 'default',
        url: { return_url: 'https://shop.example/return' },
        order: { amount, currency, merchant_reference: reference },
      }),
    );
    return data;
  }

  async capture(transactionId: string, amount: number): Promise<unknown> {
    const { data } = await firstValueFrom(this.dintero.post(`/transactions/${transactionId}/capture`, { amount }));
    return data;
  }
}
