import { Injectable } from '@nestjs/common';
import { DinteroHttpService } from 'nestjs-dintero-auth';
import { firstValueFrom } from 'rxjs';
import { SESSION_HEADERS } from './checkout-session.js';
import type { DinteroSession, DinteroTransaction } from './dintero-transaction.js';
import type { Operation } from './payment-rules.js';

/** Dintero's answer to capture, refund or void: done (200), or accepted and still running (202). */
export type OperationAnswer =
  | { readonly accepted: false; readonly transaction: DinteroTransaction }
  | { readonly accepted: true; readonly transaction: DinteroTransaction; readonly requestId: string };

/** The Checkout API calls this app makes, through the module's `DinteroHttpService`. */
@Injectable()
export class DinteroCheckoutClient {
  constructor(private readonly dintero: DinteroHttpService) {}

  async createSession(body: Record<string, unknown>): Promise<{ id: string; url: string }> {
    const { data } = await firstValueFrom(
      this.dintero.post<{ id: string; url: string }>('/sessions-profile', body, { headers: SESSION_HEADERS }),
    );
    return data;
  }

  async session(sessionId: string): Promise<DinteroSession> {
    const { data } = await firstValueFrom(this.dintero.get<DinteroSession>(`/sessions/${encodeURIComponent(sessionId)}`));
    return data;
  }

  async transaction(transactionId: string): Promise<DinteroTransaction> {
    const { data } = await firstValueFrom(this.dintero.get<DinteroTransaction>(`/transactions/${encodeURIComponent(transactionId)}`));
    return data;
  }

  /** Void has no body; capture and refund carry amount, lines and reference. */
  async operate(transactionId: string, operation: Operation, body?: object): Promise<OperationAnswer> {
    const path = `/transactions/${encodeURIComponent(transactionId)}/${operation}`;
    const response = await firstValueFrom(this.dintero.post<DinteroTransaction>(path, body));
    const requestId = response.headers['event-request-id'] as unknown;
    if (response.status === 202 && typeof requestId === 'string') return { accepted: true, transaction: response.data, requestId };
    return { accepted: false, transaction: response.data };
  }
}
