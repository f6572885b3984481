import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { ConditionalModule, ConfigModule } from '@nestjs/config';
import { fileURLToPath } from 'node:url';
import { DinteroAuthModule } from 'nestjs-dintero-auth';
import { FakeDinteroModule } from './dev/fake-dintero.module.js';
import { DinteroTarget, usesRealDintero } from './dintero/dintero-target.js';
import { DinteroTargetModule } from './dintero/dintero-target.module.js';
import { HealthModule } from './health/health.module.js';
import { JsonBodyMiddleware } from './http/json-body.middleware.js';
import { PaymentsModule } from './payments/payments.module.js';
import { platformModuleWhenConfigured } from './platform/platform.module.js';
import { AuthStatusController } from './status/auth-status.controller.js';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, envFilePath: fileURLToPath(new URL('../.env', import.meta.url)) }),
    // Development without credentials only: a fake Dintero in this process. (No debug line: it
    // would print the condition's source into the start-up log.)
    ConditionalModule.registerWhen(FakeDinteroModule, (env) => !usesRealDintero((name) => env[name]), { debug: false }),
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
