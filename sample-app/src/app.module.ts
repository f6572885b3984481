import { type DynamicModule, Module } from '@nestjs/common';
import { DinteroAuthModule, type DinteroAuthModuleOptions } from 'nestjs-dintero-auth';
import { AuthStatusController } from './auth-status.controller.js';

/** The sample payment backend; `dintero` says which Dintero to talk to. */
@Module({})
export class AppModule {
  static register(dintero: DinteroAuthModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [DinteroAuthModule.forRootAsync({ useFactory: () => dintero })],
      controllers: [AuthStatusController],
    };
  }
}
