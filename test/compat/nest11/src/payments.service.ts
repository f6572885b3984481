import { Injectable } from '@nestjs/common';
import { DinteroHttpService } from 'nestjs-dintero-auth';
import { firstValueFrom } from 'rxjs';

/** A user's service, injecting the Dintero client by its class, as in any app. */
@Injectable()
export class PaymentsService {
  constructor(private readonly dintero: DinteroHttpService) {}

  async createSession(): Promise<string> {
    const { data } = await firstValueFrom(
      this.dintero.post<{ id: string }>('/sessions-profile', {
        profile_id: 'default',
        url: { return_url: 'https://shop.example/return' },
        order: { amount: 1000, currency: 'NOK', merchant_reference: 'compat' },
      }),
    );
    return data.id;
  }
}
