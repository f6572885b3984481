import { Logger, Module } from '@nestjs/common';
import { ConditionalModule } from '@nestjs/config';
import { DinteroAccountsModule } from 'nestjs-dintero-auth';
import { DinteroTarget, usesRealDintero } from '../dintero/dintero-target.js';
import { DinteroTargetModule } from '../dintero/dintero-target.module.js';
import { MerchantDirectory } from './merchant-directory.js';
import { MerchantsModule } from './merchants.module.js';
import { PlatformController } from './platform.controller.js';
import { PlatformPayments } from './platform-payments.service.js';

/** Two merchants (or more) of a small platform, each with its own Dintero account and tokens. */
@Module({
  imports: [
    DinteroAccountsModule.forRootAsync({
      imports: [MerchantsModule, DinteroTargetModule],
      inject: [MerchantDirectory, DinteroTarget],
      useFactory: (merchants: MerchantDirectory, { options }: DinteroTarget) => ({
        resolveCredentials: (accountId: string) => merchants.credentialsOf(accountId),
        // Every merchant talks to the same Dintero as the single-merchant app.
        baseUrl: options.baseUrl,
        allowInsecureLoopback: options.allowInsecureLoopback,
        systemName: options.systemName,
      }),
    }),
    MerchantsModule,
  ],
  controllers: [PlatformController],
  providers: [PlatformPayments],
})
export class PlatformModule {}

/** Whether to mount the platform routes: always with the fake; with real Dintero only once PLATFORM_MERCHANTS is set. */
export function platformIsOn(env: NodeJS.ProcessEnv): boolean {
  return !usesRealDintero((name) => env[name]) || Boolean(env.PLATFORM_MERCHANTS);
}

/** {@link PlatformModule} when {@link platformIsOn}; otherwise nothing, and the start-up log says so. */
export function platformModuleWhenConfigured() {
  return ConditionalModule.registerWhen(
    PlatformModule,
    (env) => {
      if (platformIsOn(env)) return true;
      new Logger('Platform').log('PLATFORM_MERCHANTS is not set: the platform routes (/platform/:accountId/...) are off');
      return false;
    },
    // Its debug line would print this function's source into the start-up log.
    { debug: false },
  );
}
