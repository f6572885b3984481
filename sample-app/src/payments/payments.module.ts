import { Module } from '@nestjs/common';
import { DinteroTargetModule } from '../dintero/dintero-target.module.js';
import { DinteroCheckoutClient } from './dintero-checkout.client.js';
import { orderStoreProvider } from '../orders/order-store.provider.js';
import { OrderBook } from './order-book.js';
import { PaymentsController } from './payments.controller.js';
import { DEFAULT_OPERATION_POLL_DELAYS_MS, OPERATION_POLL_DELAYS_MS, PaymentsService } from './payments.service.js';

@Module({
  imports: [DinteroTargetModule],
  controllers: [PaymentsController],
  providers: [
    PaymentsService,
    DinteroCheckoutClient,
    OrderBook,
    orderStoreProvider,
    { provide: OPERATION_POLL_DELAYS_MS, useValue: DEFAULT_OPERATION_POLL_DELAYS_MS },
  ],
})
export class PaymentsModule {}
