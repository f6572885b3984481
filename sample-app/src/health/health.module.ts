import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DinteroAuthHealthIndicator } from 'nestjs-dintero-auth/health';
import { HealthController } from './health.controller.js';

@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [DinteroAuthHealthIndicator],
})
export class HealthModule {}
