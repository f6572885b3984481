import { Module } from '@nestjs/common';
import { DinteroTargetModule } from '../dintero/dintero-target.module.js';
import { PaymentsController } from './payments.controller.js';
import { PaymentsService } from './payments.service.js';

@Module({
  imports: [DinteroTargetModule],
  controllers: [PaymentsController],
  providers: [PaymentsService],
})
export class PaymentsModule {}
