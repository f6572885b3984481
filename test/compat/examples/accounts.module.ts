import { Injectable, Module } from '@nestjs/common';
import { type DinteroAccountCredentials, DinteroAccounts, DinteroAccountsModule } from 'nestjs-dintero-auth';
import { firstValueFrom } from 'rxjs';

/** Your merchants' Dintero API clients, wherever you keep them (a database, a secret manager). */
@Injectable()
export class MerchantCredentials {
  private readonly clients = new Map<string, DinteroAccountCredentials>();

  connect(accountId: string, credentials: DinteroAccountCredentials): void {
    this.clients.set(accountId, credentials);
  }

  async dinteroClientOf(accountId: string): Promise<DinteroAccountCredentials | undefined> {
    return this.clients.get(accountId); // undefined: an account you do not know
  }
}

@Module({ providers: [MerchantCredentials], exports: [MerchantCredentials] })
export class MerchantsModule {}

@Injectable()
export class Payments {
  constructor(private readonly accounts: DinteroAccounts) {}

  async capture(accountId: string, transactionId: string, amount: number): Promise<unknown> {
    const { http } = await this.accounts.get(accountId); // also `tokens`: that account's DinteroTokenService
    const { data } = await firstValueFrom(http.post(`/transactions/${transactionId}/capture`, { amount }));
    return data;
  }
}

@Module({
  imports: [
    DinteroAccountsModule.forRootAsync({
      imports: [MerchantsModule],
      inject: [MerchantCredentials],
      useFactory: (merchants: MerchantCredentials) => ({
        resolveCredentials: (accountId: string) => merchants.dinteroClientOf(accountId),
        maxAccounts: 1000, // the default
        idleTimeoutMs: 15 * 60_000, // the default
        // and any shared option of DinteroAuthModule: baseUrl, refresh, retry, timeouts, store, ...
        baseUrl: process.env.DINTERO_BASE_URL,
        allowInsecureLoopback: process.env.DINTERO_ALLOW_INSECURE_LOOPBACK === 'true',
      }),
    }),
    MerchantsModule,
  ],
  providers: [Payments],
})
export class PlatformModule {}
