import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  HttpStatus,
  Logger,
  NotFoundException,
  Param,
  Post,
  Query,
  Res,
  UseGuards,
} from '@nestjs/common';
import { AxiosError } from 'axios';
import type { Response } from 'express';
import {
  DinteroCallbackGuard,
  type DinteroVerifiedCallback,
  type DinteroVerifiedWebhook,
  DinteroVerified,
  DinteroWebhookGuard,
} from 'nestjs-dintero-auth';
import { CreatePaymentDto } from './dto/create-payment.dto.js';
import { OperationDto } from './dto/operation.dto.js';
import { type OperationResult, PaymentsService } from './payments.service.js';
import { returnPage } from './return-page.js';
import { TRANSACTION_ID, TransactionIdPipe } from './transaction-id.pipe.js';

@Controller('payments')
export class PaymentsController {
  private readonly logger = new Logger('Payments');

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
    @Res({ passthrough: true }) res: Response,
    @Query('transaction_id') transactionId?: string,
    @Query('error') error?: string,
    @Query('merchant_reference') merchantReference?: string,
  ): Promise<string> {
    if (!transactionId || !TRANSACTION_ID.test(transactionId)) {
      return returnPage({ error: error ?? 'failed', merchantReference, problem: 'No transaction came back.' });
    }
    try {
      return returnPage({ ...(await this.payments.forReturnPage(transactionId)), error, merchantReference });
    } catch (caught) {
      if (!(caught instanceof AxiosError) || caught.response?.status !== 404) throw caught;
      res.status(HttpStatus.NOT_FOUND);
      return returnPage({ merchantReference, problem: `Dintero knows no transaction ${transactionId}.` });
    }
  }

  /**
   * Dintero's `callback_url` (GET, or POST with `method=POST`). Only callbacks Dintero signed get
   * here, each once; anything else is a 401. The query only says which order to look at; the
   * status recorded is the one Dintero answers.
   */
  @Get('callback')
  @UseGuards(DinteroCallbackGuard)
  callback(
    @DinteroVerified() verified: DinteroVerifiedCallback,
    @Query('transaction_id') transactionId?: string,
    @Query('merchant_reference') merchantReference?: string,
  ) {
    return this.called(verified, transactionId, merchantReference);
  }

  @Post('callback')
  @HttpCode(200)
  @UseGuards(DinteroCallbackGuard)
  callbackByPost(
    @DinteroVerified() verified: DinteroVerifiedCallback,
    @Query('transaction_id') transactionId?: string,
    @Query('merchant_reference') merchantReference?: string,
  ) {
    return this.called(verified, transactionId, merchantReference);
  }

  /**
   * The webhook subscription's deliveries: a `checkout_transaction` is read back from Dintero like
   * a callback. Only deliveries signed with the subscription's secret get here, each once (the
   * guard answers a repeated one 200 without coming here); anything else is a 401.
   */
  @Post('webhook')
  @HttpCode(200)
  @UseGuards(DinteroWebhookGuard)
  webhook(
    @DinteroVerified() delivery: DinteroVerifiedWebhook,
    @Body('transaction') transaction?: { id?: unknown; merchant_reference?: unknown },
  ) {
    this.logger.debug(`Webhook ${delivery.event} delivery ${delivery.deliveryId}, signed with the subscription's secret`);
    if (delivery.event !== 'checkout_transaction' || typeof transaction?.id !== 'string') return { recorded: `nothing: ${delivery.event}` };
    const reference = typeof transaction.merchant_reference === 'string' ? transaction.merchant_reference : undefined;
    return this.payments.callback(transaction.id, reference);
  }

  /** An order by merchant reference, as the callbacks and reads have recorded it. */
  @Get('orders/:merchantReference')
  async order(@Param('merchantReference') merchantReference: string) {
    const order = await this.payments.order(merchantReference);
    if (!order) throw new NotFoundException(`No order ${merchantReference}`);
    return order;
  }

  @Get(':transactionId')
  get(@Param('transactionId', TransactionIdPipe) transactionId: string) {
    return this.payments.get(transactionId);
  }

  /** 200 with the payment when done; 202 when Dintero accepted it and is still working on it. */
  @Post(':transactionId/capture')
  async capture(
    @Res({ passthrough: true }) res: Response,
    @Param('transactionId', TransactionIdPipe) transactionId: string,
    @Body() body: OperationDto,
  ) {
    return answer(res, await this.payments.capture(transactionId, body));
  }

  @Post(':transactionId/refund')
  async refund(
    @Res({ passthrough: true }) res: Response,
    @Param('transactionId', TransactionIdPipe) transactionId: string,
    @Body() body: OperationDto,
  ) {
    return answer(res, await this.payments.refund(transactionId, body));
  }

  @Post(':transactionId/void')
  async void(@Res({ passthrough: true }) res: Response, @Param('transactionId', TransactionIdPipe) transactionId: string) {
    return answer(res, await this.payments.void(transactionId));
  }

  private called(verified: DinteroVerifiedCallback, transactionId?: string, merchantReference?: string) {
    this.logger.debug(`Callback signed by Dintero at ${verified.timestamp.toISOString()} for ${verified.accountId}`);
    return this.payments.callback(transactionId, merchantReference);
  }
}

function answer(res: Response, result: OperationResult) {
  res.status(result.accepted ? HttpStatus.ACCEPTED : HttpStatus.OK);
  return result.payment;
}
