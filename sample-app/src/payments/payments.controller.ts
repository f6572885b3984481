import { Body, Controller, Get, Header, HttpCode, Param, Post, Query } from '@nestjs/common';
import { AmountDto } from './dto/amount.dto.js';
import { CreatePaymentDto } from './dto/create-payment.dto.js';
import { PaymentsService } from './payments.service.js';
import { returnPage } from './return-page.js';

/** Dintero's transaction ids: an account id, a dot, then an opaque part. */
const TRANSACTION_ID = /^[PT]\d{3,8}\.[A-Za-z0-9]+$/;

@Controller('payments')
export class PaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  /** Starts a payment: a Dintero checkout session. Answers its id and the checkout URL. */
  @Post()
  @HttpCode(201)
  create(@Body() payment: CreatePaymentDto) {
    return this.payments.create(payment);
  }

  /** Dintero's `return_url`: the payer lands here with `transaction_id` or `error`. */
  @Get('return')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async return(
    @Query('transaction_id') transactionId?: string,
    @Query('error') error?: string,
    @Query('merchant_reference') merchantReference?: string,
  ): Promise<string> {
    if (!transactionId || !TRANSACTION_ID.test(transactionId)) {
      return returnPage({ error: error ?? 'failed', merchantReference, problem: 'No transaction came back.' });
    }
    return returnPage({ payment: await this.payments.get(transactionId), error, merchantReference });
  }

  @Get(':transactionId')
  get(@Param('transactionId') transactionId: string) {
    return this.payments.get(transactionId);
  }

  @Post(':transactionId/capture')
  @HttpCode(200)
  capture(@Param('transactionId') transactionId: string, @Body() body: AmountDto) {
    return this.payments.capture(transactionId, body.amount);
  }

  @Post(':transactionId/refund')
  @HttpCode(200)
  refund(@Param('transactionId') transactionId: string, @Body() body: AmountDto) {
    return this.payments.refund(transactionId, body.amount);
  }
}
