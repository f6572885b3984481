import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { DinteroAuthModule } from 'nestjs-dintero-auth';
import { dinteroConfig } from 'nestjs-dintero-auth/config';
import { PaymentsModule } from './payments.module.js';

@Module({
  imports: [
    ConfigModule.forRoot(), // loads .env into process.env
    // DINTERO_ACCOUNT_ID, DINTERO_CLIENT_ID, DINTERO_CLIENT_SECRET; a missing one stops start-up, naming it
    DinteroAuthModule.forRootAsync(dinteroConfig.asProvider()),
    PaymentsModule, // inject DinteroHttpService, DinteroTokenService anywhere: the module is global
  ],
})
export class AppModule {}
