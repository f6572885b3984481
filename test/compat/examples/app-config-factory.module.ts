import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { DinteroAuthModule } from 'nestjs-dintero-auth';
import { PaymentsModule } from './payments.module.js';

@Module({
  imports: [
    ConfigModule.forRoot(),
    DinteroAuthModule.forRootAsync({
      imports: [ConfigModule],
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        accountId: config.getOrThrow<string>('DINTERO_ACCOUNT_ID'), // T12345678 (test) or P12345678
        clientId: config.getOrThrow<string>('DINTERO_CLIENT_ID'),
        clientSecret: config.getOrThrow<string>('DINTERO_CLIENT_SECRET'),
        baseUrl: config.get<string>('DINTERO_BASE_URL'), // unset: Dintero; or a local stand-in
        allowInsecureLoopback: config.get<string>('DINTERO_ALLOW_INSECURE_LOOPBACK') === 'true',
        systemName: 'my-shop',
      }),
    }),
    PaymentsModule,
  ],
})
export class AppModule {}
