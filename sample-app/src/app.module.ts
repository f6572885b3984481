import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { fileURLToPath } from 'node:url';
import { DinteroAuthModule } from 'nestjs-dintero-auth';
import { DinteroTarget } from './dintero/dintero-target.js';
import { DinteroTargetModule } from './dintero/dintero-target.module.js';
import { HealthModule } from './health/health.module.js';
import { JsonBodyMiddleware } from './http/json-body.middleware.js';
import { PaymentsModule } from './payments/payments.module.js';
import { platformModuleWhenConfigured } from './platform/platform.module.js';
import { AuthStatusController } from './status/auth-status.controller.js';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, envFilePath: fileURLToPath(new URL('../.env', import.meta.url)) }),
    DinteroAuthModule.forRootAsync({
      isGlobal: true,
      imports: [DinteroTargetModule],
      inject: [DinteroTarget],
      useFactory: (target: DinteroTarget) => target.options,
    }),
    PaymentsModule,
    platformModuleWhenConfigured(),
    HealthModule,
  ],
  controllers: [AuthStatusController],
})
export class AppModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(JsonBodyMiddleware).forRoutes('*path');
  }
}
