import { BadRequestException, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import { DinteroAccounts } from 'nestjs-dintero-auth';
import { firstValueFrom } from 'rxjs';
import { publicUrl } from '../dintero/public-url.js';
import { amountMismatch, SESSION_HEADERS, sessionRequest } from '../payments/checkout-session.js';
import type { DinteroTransaction } from '../payments/dintero-transaction.js';
import type { CreatePaymentDto } from '../payments/dto/create-payment.dto.js';
import { type PaymentSummary, summarize } from '../payments/payment-summary.js';
import { TRANSACTION_ID } from '../payments/transaction-id.pipe.js';
import { MerchantDirectory } from './merchant-directory.js';

/**
 * Payments on behalf of one merchant of the platform: each call goes out with that merchant's
 * own token, through `DinteroAccounts`, so a merchant sees only its own sessions and transactions.
 */
@Injectable()
export class PlatformPayments {
  private readonly publicUrl: string;

  constructor(
    private readonly accounts: DinteroAccounts,
    private readonly merchants: MerchantDirectory,
    config: ConfigService,
  ) {
    this.publicUrl = publicUrl((name) => config.get<string>(name));
  }

  async create(
    accountId: string,
    payment: CreatePaymentDto,
  ): Promise<{ sessionId: string; checkoutUrl: string; merchantReference: string }> {
    const { http } = await this.accounts.get(accountId);
    const mismatch = amountMismatch(payment);
    if (mismatch) throw new BadRequestException(mismatch);
    const merchantReference = `order-${randomUUID().slice(0, 8)}`;
    const returnUrl = `${this.publicUrl}/platform/${accountId}/payments/return`;
    const body = sessionRequest(payment, merchantReference, this.merchants.profileOf(accountId)!, { returnUrl });
    const { data } = await firstValueFrom(http.post<{ id: string; url: string }>('/sessions-profile', body, { headers: SESSION_HEADERS }));
    return { sessionId: data.id, checkoutUrl: data.url, merchantReference };
  }

  async get(accountId: string, transactionId: string | undefined): Promise<PaymentSummary> {
    const { http } = await this.accounts.get(accountId);
    if (!transactionId || !TRANSACTION_ID.test(transactionId)) throw new BadRequestException('transactionId: not a Dintero transaction id');
    const { data } = await firstValueFrom(http.get<DinteroTransaction>(`/transactions/${encodeURIComponent(transactionId)}`));
    return summarize(data);
  }

  /** The merchant's token health: its fingerprint, never the token, and no token request of its own. */
  async authStatus(accountId: string) {
    const { tokens } = await this.accounts.get(accountId);
    const { token, refreshing, consecutiveFailures } = tokens.status();
    return {
      accountId,
      healthy: token !== undefined,
      token: token && { fingerprint: token.fingerprint, obtainedAt: token.obtainedAt, expiresAt: token.expiresAt },
      refreshing,
      consecutiveFailures,
    };
  }
}
