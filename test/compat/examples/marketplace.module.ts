import { Injectable, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import {
  DinteroAuthModule,
  type DinteroAuthModuleAsyncOptions,
  DinteroHttpService,
  DinteroTokenService,
  InjectDinteroHttp,
  InjectDinteroTokens,
} from 'nestjs-dintero-auth';

/** One account's registration, from NORWAY_DINTERO_ACCOUNT_ID, NORWAY_DINTERO_CLIENT_ID, ... */
function account(name: string, prefix: string): DinteroAuthModuleAsyncOptions {
  return {
    name,
    imports: [ConfigModule],
    inject: [ConfigService],
    useFactory: (config: ConfigService) => ({
      accountId: config.getOrThrow<string>(`${prefix}_DINTERO_ACCOUNT_ID`),
      clientId: config.getOrThrow<string>(`${prefix}_DINTERO_CLIENT_ID`),
      clientSecret: config.getOrThrow<string>(`${prefix}_DINTERO_CLIENT_SECRET`),
      baseUrl: config.get<string>('DINTERO_BASE_URL'), // shared by both; unset: Dintero
      allowInsecureLoopback: config.get<string>('DINTERO_ALLOW_INSECURE_LOOPBACK') === 'true',
    }),
  };
}

@Injectable()
export class Marketplace {
  constructor(
    @InjectDinteroHttp('norway') readonly norway: DinteroHttpService,
    @InjectDinteroHttp('sweden') readonly sweden: DinteroHttpService,
    @InjectDinteroTokens('sweden') readonly swedenTokens: DinteroTokenService,
  ) {}
}

@Module({
  imports: [
    ConfigModule.forRoot(),
    DinteroAuthModule.forRootAsync(account('norway', 'NORWAY')),
    DinteroAuthModule.forRootAsync(account('sweden', 'SWEDEN')),
  ],
  providers: [Marketplace],
})
export class MarketplaceModule {}
