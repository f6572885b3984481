import { BadRequestException, ConflictException, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import { DinteroHttpService } from 'nestjs-dintero-auth';
import { firstValueFrom } from 'rxjs';
import { DinteroTarget } from '../dintero/dintero-target.js';
import { type DinteroTransaction, type PaymentSummary, summarize } from './dintero-transaction.js';
import type { CreatePaymentDto } from './dto/create-payment.dto.js';

const DEFAULT_VAT = 25;

/** Payments over Dintero's Checkout API: sessions, then capture and refund of their transactions. */
@Injectable()
export class PaymentsService {
  private readonly returnUrl: string;

  constructor(
    private readonly dintero: DinteroHttpService,
    private readonly target: DinteroTarget,
    config: ConfigService,
  ) {
    const publicUrl = config.get<string>('PUBLIC_URL') ?? `http://localhost:${config.get<string>('PORT') ?? '3000'}`;
    this.returnUrl = `${publicUrl.replace(/\/+$/, '')}/payments/return`;
  }

  /** Creates a checkout session; the payer goes to `checkoutUrl`, then comes back to /payments/return. */
  async create(payment: CreatePaymentDto): Promise<{ sessionId: string; checkoutUrl: string; merchantReference: string }> {
    const items = payment.items ?? [{ description: 'Order', quantity: 1, amount: payment.amount, vat: DEFAULT_VAT }];
    const itemTotal = items.reduce((sum, item) => sum + item.amount, 0);
    if (itemTotal !== payment.amount) {
      throw new BadRequestException(`items: line amounts add up to ${itemTotal}, not to amount ${payment.amount}`);
    }
    const merchantReference = `order-${randomUUID().slice(0, 8)}`;
    const { data } = await firstValueFrom(
      this.dintero.post<{ id: string; url: string }>('/sessions-profile', {
        profile_id: this.target.profileId,
        url: { return_url: this.returnUrl },
        order: {
          amount: payment.amount,
          currency: payment.currency,
          merchant_reference: merchantReference,
          vat_amount: items.reduce((sum, item) => sum + vatOf(item.amount, item.vat), 0),
          items: items.map((item, index) => ({
            line_id: String(index + 1),
            description: item.description,
            quantity: item.quantity,
            amount: item.amount,
            vat: item.vat,
            vat_amount: vatOf(item.amount, item.vat),
          })),
        },
      }),
    );
    return { sessionId: data.id, checkoutUrl: data.url, merchantReference };
  }

  async get(transactionId: string): Promise<PaymentSummary> {
    return summarize(await this.transaction(transactionId));
  }

  /** Captures `amount`, or everything still authorized. */
  async capture(transactionId: string, amount?: number): Promise<PaymentSummary> {
    const current = summarize(await this.transaction(transactionId));
    if (current.status !== 'AUTHORIZED' && current.status !== 'PARTIALLY_CAPTURED') {
      throw new ConflictException(`A ${current.status} transaction cannot be captured`);
    }
    const capturable = current.amount - current.captured;
    const toCapture = amount ?? capturable;
    if (toCapture > capturable) throw new BadRequestException(`amount: ${toCapture} exceeds the ${capturable} still authorized`);
    return this.operate(transactionId, 'capture', { amount: toCapture, capture_reference: randomUUID() });
  }

  /** Refunds `amount`, or everything captured and not yet refunded. */
  async refund(transactionId: string, amount?: number): Promise<PaymentSummary> {
    const current = summarize(await this.transaction(transactionId));
    const refundable = current.captured - current.refunded;
    if (refundable === 0) throw new ConflictException(`A ${current.status} transaction has nothing to refund`);
    const toRefund = amount ?? refundable;
    if (toRefund > refundable) throw new BadRequestException(`amount: ${toRefund} exceeds the ${refundable} captured and not refunded`);
    return this.operate(transactionId, 'refund', { amount: toRefund, refund_reference: randomUUID() });
  }

  private async transaction(transactionId: string): Promise<DinteroTransaction> {
    const { data } = await firstValueFrom(this.dintero.get<DinteroTransaction>(`/transactions/${encodeURIComponent(transactionId)}`));
    return data;
  }

  private async operate(transactionId: string, operation: 'capture' | 'refund', body: object): Promise<PaymentSummary> {
    const path = `/transactions/${encodeURIComponent(transactionId)}/${operation}`;
    const { data } = await firstValueFrom(this.dintero.post<DinteroTransaction>(path, body));
    return summarize(data);
  }
}

/** VAT contained in a VAT-inclusive amount, in whole minor units. */
function vatOf(amount: number, vatPercent: number): number {
  return Math.round((amount * vatPercent) / (100 + vatPercent));
}
