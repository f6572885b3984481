import { Body, Controller, Get, HttpCode, Param, Post, Query, UseFilters } from '@nestjs/common';
import { CreatePaymentDto } from '../payments/dto/create-payment.dto.js';
import { AccountErrorFilter } from './account-error.filter.js';
import { PlatformPayments } from './platform-payments.service.js';

/** A platform's merchants, chosen per request by their Dintero account id. */
@Controller('platform/:accountId')
@UseFilters(AccountErrorFilter)
export class PlatformController {
  constructor(private readonly payments: PlatformPayments) {}

  /** Starts a payment for the merchant: a checkout session on its account. */
  @Post('payments')
  @HttpCode(201)
  create(@Param('accountId') accountId: string, @Body() payment: CreatePaymentDto) {
    return this.payments.create(accountId, payment);
  }

  /** The merchant's `return_url`: the payment as Dintero has it. */
  @Get('payments/return')
  returned(@Param('accountId') accountId: string, @Query('transaction_id') transactionId?: string) {
    return this.payments.get(accountId, transactionId);
  }

  @Get('payments/:transactionId')
  get(@Param('accountId') accountId: string, @Param('transactionId') transactionId: string) {
    return this.payments.get(accountId, transactionId);
  }

  @Get('auth/status')
  status(@Param('accountId') accountId: string) {
    return this.payments.authStatus(accountId);
  }
}
