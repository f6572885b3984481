import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DinteroTarget } from './dintero-target.js';
import { LocalDintero } from './local-dintero.js';

/**
 * Provides the {@link DinteroTarget} DinteroAuthModule reads its options from; with no
 * credentials, from the {@link LocalDintero} that `FakeDinteroModule` (src/dev) provides.
 */
@Module({
  providers: [
    {
      provide: DinteroTarget,
      inject: [ConfigService, { token: LocalDintero, optional: true }],
      useFactory: (config: ConfigService, local?: LocalDintero) => DinteroTarget.fromConfig(config, local),
    },
  ],
  exports: [DinteroTarget],
})
export class DinteroTargetModule {}
