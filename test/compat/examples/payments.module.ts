import { Module } from '@nestjs/common';
import { PaymentsService } from './payments.service.js';

// No import of DinteroAuthModule needed: it is registered once, globally, in AppModule.
@Module({ providers: [PaymentsService], exports: [PaymentsService] })
export class PaymentsModule {}
