import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DinteroTarget } from '../dintero/dintero-target.js';
import { DinteroTargetModule } from '../dintero/dintero-target.module.js';
import { MerchantDirectory } from './merchant-directory.js';
import { FAKE_PLATFORM_MERCHANTS, parseMerchants } from './merchants.js';

/** The merchants table: the fake's two merchants, or PLATFORM_MERCHANTS against real Dintero. */
@Module({
  imports: [DinteroTargetModule],
  providers: [
    {
      provide: MerchantDirectory,
      inject: [DinteroTarget, ConfigService],
      useFactory: (target: DinteroTarget, config: ConfigService) =>
        new MerchantDirectory(target.isFake ? FAKE_PLATFORM_MERCHANTS : parseMerchants(config.get<string>('PLATFORM_MERCHANTS') ?? '[]')),
    },
  ],
  exports: [MerchantDirectory],
})
export class MerchantsModule {}
