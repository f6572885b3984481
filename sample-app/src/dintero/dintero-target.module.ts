import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DinteroTarget } from './dintero-target.js';

/** Provides the {@link DinteroTarget}, started before DinteroAuthModule reads its options. */
@Module({
  providers: [{ provide: DinteroTarget, inject: [ConfigService], useFactory: (config: ConfigService) => DinteroTarget.fromConfig(config) }],
  exports: [DinteroTarget],
})
export class DinteroTargetModule {}
